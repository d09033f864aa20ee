/**
 * The charts of the screen are those of @mixite/graphiques, the very components the bilan renders to static SVG
 * (packages/reports/src/graphiques/svg.ts): one drawing code for the dashboard and the documents. Pages import them
 * from here, so a test can check the identity (packages/web/test/graphiques.test.ts).
 */
export { BarresHorizontales, BarresVerticales, CourbesTendance } from '@mixite/graphiques';
export type { Barre, Courbe, Serie } from '@mixite/graphiques';
export { Carte } from '@mixite/graphiques';
