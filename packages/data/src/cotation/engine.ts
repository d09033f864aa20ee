/**
 * The cotation engine over the store (issue 6, docs/cotation.md), in four modules:
 * - contexte.ts: options, perimeter, reference date and the thresholds a grid reads;
 * - cotations.ts: the requests one by one (page, explanation, summary, CSV, materialised table);
 * - distribution.ts: the distribution of the notes, exact or under statistical secrecy;
 * - impact.ts: the impact of one grid, the comparison of two.
 * cotation-sql.ts compiles a grid to the SQL they all run.
 */
export type { OptionsCotation, PerimetreCotation } from './contexte.ts';
export { DateReferenceInvalideError, dateDesDonnees } from './contexte.ts';
export type { OptionsPage, TriCotations } from './cotations.ts';
export { colonnesLibresVides, cotationDe, ecrireCotationCsv, listerCotations, materialiserCotation, resumerCotation } from './cotations.ts';
export { distributionDesNotes, distributionPubliee } from './distribution.ts';
export { comparaisonPubliee, comparerGrilles, impactGrille } from './impact.ts';
