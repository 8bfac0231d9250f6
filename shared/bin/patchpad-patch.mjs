#!/usr/bin/env node
// Entry for `npx patchpad-patch`: Node 20 cannot run TypeScript, so register tsx first.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../src/patch/cli.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
