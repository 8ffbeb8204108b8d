export * from './admin/grid-code.ts';
export * from './category/categories.ts';
