export * from './baremes.ts';
export * from './apl.ts';
export * from './effort.ts';
export * from './menage-reference.ts';
export * from './apl-sql.ts';
