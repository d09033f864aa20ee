export * from './en-tetes.ts';
export * from './lambert93.ts';
export * from './rpls.ts';
export * from './qpv-liste.ts';
export * from './arrete-q1.ts';
