export * from './config';
export * from './gateway';
export * from './patch';
export * from './project';
export * from './task';
export * from './audit';
export * from './plan';
export * from './quota';
