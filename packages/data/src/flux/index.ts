export * from './flux-engine.ts';
export * from './bilan-flux.ts';
export { checkConventions } from './conventions-checks.ts';
export * from './conventions-edition.ts';
