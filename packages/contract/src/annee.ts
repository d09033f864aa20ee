import type { Territoire } from './indicateurs.ts';

/**
 * The year a page opens on: the one asked in the address if the territory has data for it, else the latest year with
 * data. Its own module, without zod (`@mixite/contract/annee`), so that the web application's first module stays small.
 * One rule for the pages (web/src/lib/annee.ts) and the server that draws the Parc page's first paint
 * (server/src/rendu-parc.ts): if they differed, the page would replace the server's maps with another year's.
 */
export function anneeChoisie(territoire: Territoire | null, demandee: string | null): number | null {
  const annees = territoire?.annees ?? [];
  const n = Number(demandee);
  if (demandee && annees.includes(n)) return n;
  return annees.at(-1) ?? null;
}
