import type { Territoire } from '@mixite/server/contract';
import { createContext, useContext } from 'react';
import type { ApiState } from './use-api.ts';

/** The territory (name, years, perimeter names), loaded once by the layout and reloaded after an import. */
export const TerritoireContext = createContext<ApiState<Territoire> | null>(null);

export function useTerritoire(): ApiState<Territoire> {
  const value = useContext(TerritoireContext);
  if (!value) throw new Error('useTerritoire hors de TerritoireContext');
  return value;
}

/** The year asked in the address, else the latest year with data. */
export function anneeChoisie(territoire: Territoire | null, demandee: string | null): number | null {
  const annees = territoire?.annees ?? [];
  const n = Number(demandee);
  if (demandee && annees.includes(n)) return n;
  return annees.at(-1) ?? null;
}
