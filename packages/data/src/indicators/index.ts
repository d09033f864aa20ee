export * from './engine.ts';
export * from './indicators-sql.ts';
