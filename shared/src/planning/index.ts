export * from './planning-points.codec.ts';
export * from './planning-points.ts';
export * from './grid-stats.ts';
export * from './household-bands.ts';
export * from './planning-context.schema.ts';
export * from './plan.schema.ts';
export * from './boundary-publish.ts';
