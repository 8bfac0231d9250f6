import { configureFastCheck } from './fast-check-seed';

configureFastCheck();
