export * from './topology.ts';
export * from './topology-edit.ts';
