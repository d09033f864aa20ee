export * from './observatoire.ts';
export type { Mutations, MotifMutation, Satisfaction, SatisfactionMotif } from './mutations.ts';
