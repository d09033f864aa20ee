export * from './observatoire.ts';
