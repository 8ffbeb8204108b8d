export * from './topology.ts';
export * from './topology-edit.ts';
export * from './topology-edit.schema.ts';
export * from './topology-codec.ts';
