import type { Territoire } from '@mixite/contract';

/**
 * The year asked in the address, else the latest year with data. Without React (unlike lib/territoire.tsx, which
 * re-exports it), so that the reads started before the application is loaded (lib/prechargement.ts) choose the
 * same year as the page.
 */
export function anneeChoisie(territoire: Territoire | null, demandee: string | null): number | null {
  const annees = territoire?.annees ?? [];
  const n = Number(demandee);
  if (demandee && annees.includes(n)) return n;
  return annees.at(-1) ?? null;
}
