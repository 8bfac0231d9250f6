export * from './schemas/index';
export * from './project/starter';
export * from './sse';
export * from './quota/estimate';
