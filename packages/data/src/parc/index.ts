export * from './menage.ts';
export * from './parc-sql.ts';
export * from './parc.ts';
export * from './residences.ts';
