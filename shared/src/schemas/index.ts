export * from './config';
export * from './gateway';
export * from './project';
export * from './task';
