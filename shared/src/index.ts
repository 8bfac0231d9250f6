export * from './schemas/index';
export * from './project/starter';
export * from './sse';
export * from './quota/estimate';
export * from './project/templates';
export * from './project/merge';
export * from './project/import';
