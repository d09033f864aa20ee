export * from './aleatoire.ts';
export * from './modele.ts';
export * from './politique.ts';
export * from './moteur.ts';
export * from './monte-carlo.ts';
