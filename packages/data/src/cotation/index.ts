export * from './cotation-sql.ts';
export * from './engine.ts';
