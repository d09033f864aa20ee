export * from './champs.ts';
export * from './grille.ts';
export * from './note.ts';
export * from './resultats.ts';
export * from './secret.ts';
