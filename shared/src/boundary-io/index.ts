export * from './import-report.ts';
export * from './layer-read.ts';
export * from './layer-check.ts';
export * from './layer-parents.ts';
export * from './layer-export.ts';
export * from './check-file.ts';
