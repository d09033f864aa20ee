export * from './importer.ts';
export * from './reconnaissance.ts';
export * from './resultat.ts';
export * from './rpls.ts';
export * from './qpv.ts';
export * from './qpv-contours.ts';
export * from './arrete.ts';
