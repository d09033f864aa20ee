export * from './parametres.ts';
export * from './periodes-construction.ts';
export * from './prevision.ts';
export * from './droits.ts';
export * from './bilan.ts';
export * from './export.ts';
export * from './equilibre.ts';
