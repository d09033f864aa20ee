import { LIBELLES_TYPE_RESERVATAIRE, nomDuTerritoire } from '@mixite/core';
import type { TypeReservataire } from '@mixite/core';
import type { Store } from '@mixite/data';
import { anneesAvecDecisions } from '@mixite/data';
import type { Territoire } from '../contract.ts';
import type { Viewer } from '../http/viewer.ts';

export type Libelles = ReadonlyMap<string, string>;

/** Names of the territory and of its perimeters, to label indicator rows and fill the filters. */
export class TerritoireRepository {
  constructor(private readonly store: Store) {}

  async territoire(viewer: Viewer): Promise<Territoire> {
    const [epci] = await this.store.all<{ code_epci: string | null; nom_epci: string | null; n: number; epcis: number }>(
      `SELECT any_value(code_epci) AS code_epci, any_value(nom_epci) AS nom_epci, count(*)::INTEGER AS n, count(DISTINCT code_epci)::INTEGER AS epcis FROM communes`,
    );
    const annees = await this.years(viewer);
    const perimetres: Record<string, { id: string; libelle: string }[]> = {};
    for (const [key, label] of (await this.labels(viewer)).entries()) {
      const [type, id] = splitKey(key);
      (perimetres[type] ??= []).push({ id, libelle: label });
    }
    for (const list of Object.values(perimetres)) list.sort((a, b) => a.libelle.localeCompare(b.libelle, 'fr'));
    return {
      nom: nomDuTerritoire({ epcis: epci?.epcis ?? 0, communes: epci?.n ?? 0, nomEpci: epci?.nom_epci ?? null, codeEpci: epci?.code_epci ?? null }),
      code_epci: (epci?.epcis ?? 0) > 1 ? null : (epci?.code_epci ?? null),
      annees,
      donnees: (epci?.n ?? 0) > 0,
      perimetres,
    };
  }

  /**
   * Calendar years with CALEOL decisions, oldest first. A year that only holds leases of decisions taken the year
   * before (the months after the extraction) is left out: its figures would be a few late leases.
   */
  async years(_viewer: Viewer): Promise<number[]> {
    return anneesAvecDecisions(this.store);
  }

  /** Label of every perimeter, keyed `type:id` (e.g. `bailleur:B1`, `non_reserve:non_reserve:B1`). */
  async labels(_viewer: Viewer): Promise<Libelles> {
    const rows = await this.store.all<{ type: string; id: string; libelle: string }>(
      `SELECT 'commune' AS type, code_insee AS id, nom AS libelle FROM communes
       UNION ALL SELECT 'qpv', code_qpv, nom || CASE WHEN assimile THEN ' (secteur assimilé)' ELSE '' END FROM qpv
       UNION ALL SELECT 'bailleur', id, nom FROM bailleurs
       UNION ALL SELECT 'contingent', id, nom FROM reservataires
       UNION ALL SELECT 'contingent', 'non_reserve:' || id, 'Non réservé — ' || nom FROM bailleurs
       UNION ALL SELECT 'non_reserve', 'non_reserve:' || id, 'Non réservé — ' || nom FROM bailleurs
       UNION ALL SELECT 'territoire', code_epci, any_value(coalesce(nom_epci, 'EPCI ' || code_epci)) FROM communes GROUP BY code_epci`,
    );
    const map = new Map<string, string>();
    for (const r of rows) map.set(`${r.type}:${r.id}`, r.libelle);
    for (const [code, label] of Object.entries(LIBELLES_TYPE_RESERVATAIRE) as [TypeReservataire, string][]) {
      map.set(`type_contingent:${code}`, label);
    }
    map.set('type_contingent:non_reserve', 'Non réservé (stock propre des bailleurs)');
    return map;
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf(':');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** The name of a perimeter, falling back to its id (a code absent from the reference files). */
export function labelOf(labels: Libelles, type: string, id: string): string {
  return labels.get(`${type}:${id}`) ?? (type === 'territoire' ? 'Territoire' : id);
}
