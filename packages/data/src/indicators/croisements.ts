import type { Champ, CroisementsDuSecret } from '@mixite/core';
import { cleDenominateur, periodesDeLAnnee } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ident } from '../store/sql-types.ts';
import { tranchesDeLAnnee, tranchesDeLaPeriode } from './indicators-sql.ts';

/**
 * The places of a year's allocations for the secrecy pass's coincidences between breakdowns (leak (d) of issue 12;
 * core secret-croisements.ts): one row per distinct (counting base, QPV membership, slice, commune, bailleur,
 * contingent, QPV) of the facts table the engine built for the year, turned into the places of each denominator
 * (base × field of dwellings). Read from the facts themselves, as the indicator rows are, so that every pair of
 * perimeters sharing an allocation is there (a missing one could make the pass write a false equation).
 */
export async function lieuxDuSecret(store: Store, table: string, annee: number): Promise<CroisementsDuSecret> {
  const rows = await store.all<LieuDesFaits>(`SELECT DISTINCT base, en_qpv, tranche, code_insee, bailleur_id, contingent, code_qpv FROM ${ident(table)} ORDER BY ALL`);
  return croisementsDesLieux(annee, rows);
}

/** A distinct place of the facts table (the columns lieuxDuSecret reads). */
export interface LieuDesFaits {
  readonly base: string;
  readonly en_qpv: boolean | null;
  readonly tranche: number;
  readonly code_insee: string | null;
  readonly bailleur_id: string | null;
  readonly contingent: string | null;
  readonly code_qpv: string | null;
}

/** The places of the secrecy pass from the distinct places of the facts, in the order of ALL their columns. */
export function croisementsDesLieux(annee: number, rows: readonly LieuDesFaits[]): CroisementsDuSecret {
  const dictionnaire = () => {
    const ids: string[] = [];
    const index = new Map<string, number>();
    return {
      ids,
      de: (id: string | null): number => {
        if (id === null) return -1;
        let i = index.get(id);
        if (i === undefined) index.set(id, (i = ids.push(id) - 1));
        return i;
      },
    };
  };
  const [communes, bailleurs, contingents, qpv] = [dictionnaire(), dictionnaire(), dictionnaire(), dictionnaire()];
  const lieux: Record<string, number[]> = {};
  const ajouter = (base: string, champ: Champ, lieu: readonly number[]) => {
    const cle = cleDenominateur({ base: base as 'propositions' | 'baux', champ });
    (lieux[cle] ??= []).push(...lieu);
  };
  for (const r of rows) {
    // The QPV breakdown lists the QPV codes (assimilated sectors included), as the indicator rows do.
    const lieu = [r.tranche, communes.de(r.code_insee), bailleurs.de(r.bailleur_id), contingents.de(r.contingent), qpv.de(r.code_qpv)];
    ajouter(r.base, 'tout', lieu);
    ajouter(r.base, r.en_qpv ? 'qpv' : 'hors_qpv', lieu);
  }
  const tranches = tranchesDeLAnnee(annee);
  return {
    communes: communes.ids,
    bailleurs: bailleurs.ids,
    contingents: contingents.ids,
    qpv: qpv.ids,
    lieux,
    tranches: Object.fromEntries(periodesDeLAnnee(annee).map((p) => [p.id, tranchesDeLaPeriode(p, tranches)])),
  };
}
