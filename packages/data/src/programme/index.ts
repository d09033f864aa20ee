export * from './classeur.ts';
export * from './depot.ts';
export * from './gouvernance.ts';
export * from './jeu.ts';
