export * from './gcj02.ts';
export * from './point-in-polygon.ts';
export * from './coords-codec.ts';
export * from './grid-index.ts';
export * from './great-circle.ts';
export * from './corridor.ts';
