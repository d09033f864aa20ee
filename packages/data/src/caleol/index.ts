export * from './liste.ts';
