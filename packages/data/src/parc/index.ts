export * from './menage.ts';
