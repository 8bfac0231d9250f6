export * from './config';
export * from './gateway';
export * from './model';
export * from './patch';
export * from './plan';
export * from './project';
export * from './task';
export * from './usage';
