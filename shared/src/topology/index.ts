export * from './topology.ts';
export * from './topology-edit.ts';
export * from './topology-edit.schema.ts';
export * from './topology-codec.ts';
export * from './planar.ts';
export * from './topology-index.ts';
export * from './topology-check.ts';
export * from './edit-session.ts';
