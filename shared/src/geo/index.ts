export * from './gcj02.ts';
