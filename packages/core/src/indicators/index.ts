export * from './periods.ts';
export * from './perimeters.ts';
export * from './declarations.ts';
export * from './targets.ts';
export * from './secret.ts';
export * from './export.ts';
export * from './results.ts';
export * from './limites.ts';
