export * from './classeur.ts';
export * from './depot.ts';
