/**
 * The HTTP contract of Mixité: the zod schema of every request and answer of /api, with their inferred types.
 * The server declares its routes with them (validation at the edge, OpenAPI document generated from them); the
 * web's typed client reads the answers through the same types. French descriptions: they are the API's documentation.
 */
export * from './commun.ts';
export * from './session.ts';
export * from './indicateurs.ts';
export * from './annee.ts';
export * from './parametres.ts';
export * from './imports.ts';
export * from './correspondances.ts';
export * from './journal.ts';
export * from './cotation.ts';
export * from './exports.ts';
export * from './espace.ts';
export * from './parc.ts';
export * from './contours.ts';
export * from './flux.ts';
export * from './refus.ts';
export * from './programme.ts';
export * from './caleol.ts';
export * from './simulation.ts';
