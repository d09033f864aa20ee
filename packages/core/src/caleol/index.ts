export * from './parametres.ts';
export * from './plafonds.ts';
export * from './eligibilite.ts';
export * from './liste.ts';
export * from './en-mots.ts';
