/**
 * Server-only part of the contract: what the API and the worker both run against Redis (the
 * task state machine, its keys and Lua scripts, the queue's options, the connection watch).
 * Neither process imports the other; both import this. Never imported by the browser bundle.
 */
export * from './redis/script';
export * from './redis/watch';
export * from './redis/lease';
export * from './tasks/keys';
export * from './tasks/store';
export * from './tasks/queue';
export * from './redis/connect';
export * from './tasks/stats';
export * from './workers';
export * from './http/sse-body';
