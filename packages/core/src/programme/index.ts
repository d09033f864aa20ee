export * from './modele.ts';
export * from './tableur.ts';
export * from './calendrier.ts';
export * from './ics.ts';
export * from './gouvernance.ts';
export * from './jeu.ts';
