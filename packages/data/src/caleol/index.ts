export * from './liste.ts';
export * from './decisions.ts';
