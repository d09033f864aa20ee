export * from './exact.ts';
export * from './quartile.ts';
export * from './quartile-sql.ts';
