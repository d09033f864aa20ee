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

export { anneeChoisie } from './annee.ts';
