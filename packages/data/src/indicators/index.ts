export * from './engine.ts';
export * from './indicators-sql.ts';
export * from './limites.ts';
export * from './regles-sql.ts';
export * from './attributions.ts';
export * from './annees.ts';
export * from './publication.ts';
export * from './resultats-conserves.ts';
