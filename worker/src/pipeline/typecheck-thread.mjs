// Entry of a type-check thread: TypeScript source needs tsx's loader, registered per thread
// (a worker thread does not take --import from the process), then the real entry.
import { register } from 'tsx/esm/api';

register();
await import('./typecheck-thread.ts');
