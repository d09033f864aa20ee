import type { ReactNode } from 'react';
import { startTransition, useEffect, useState } from 'react';
import { Chargement } from '../../components/Etat.tsx';

/**
 * What the page draws just after its maps (issue 14): its long tables — the crossing's ten columns by commune, the
 * residences' list of fifty rows — about two thirds of the page's cells. Drawn in the same pass as the maps, they made
 * the maps wait for them; here the first pass shows the maps (each with its own table, the map's text alternative),
 * and these come in the next, interruptible one, a moment later.
 */
export function ApresLesCartes({ quoi, children }: { quoi: string; children: ReactNode }) {
  const [pret, setPret] = useState(false);
  useEffect(() => {
    startTransition(() => setPret(true));
  }, []);
  return pret ? children : <Chargement quoi={quoi} />;
}
