export * from './ids.ts';
export * from './admin/grid-code.ts';
export * from './category/categories.ts';
export * from './domain/schemas.ts';
export * from './case/case-machine.ts';
export * from './domain/stream-event.ts';
export * from './time/local-day.ts';
export * from './position-frame/position-frame.ts';
