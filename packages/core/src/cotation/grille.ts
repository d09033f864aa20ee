/**
 * The cotation grid (L441-2-8 CCH, décret 2019-1378; issue 6; format documented in docs/cotation.md).
 *
 * A grid is a YAML (or JSON) document. Either one body for every request:
 *   nom, version, similaires, criteres, rubriques, refus
 * or one body per population, since first access and mutation grids are common:
 *   nom, version, similaires, premier_acces: { criteres, rubriques, refus }, mutation: { … }
 * A request is scored by the `mutation` body when its `mutation` flag is true, else by `premier_acces`.
 *
 * `parseGrille` checks the structure with the zod schema below, then the meaning (known fields, operators that fit
 * the field, codes of the closed lists, unique ids, headings naming existing criteria), and reports every problem
 * located by YAML line, key path and what is expected, in French.
 */
export * from './grille-modele.ts';
export type { DocumentGrille } from './grille-schema.ts';
export { corpsSchema, critereSchema, documentGrilleSchema, grilleSchema, refusSchema, rubriqueSchema } from './grille-schema.ts';
export { cheminTexte } from '../format/yaml-position.ts';
export { parseGrille, verifierGrille, verifierGrilleEnvoyee } from './grille-texte.ts';
