import type { Champ, CroisementsDuSecret } from '@mixite/core';
import { cleDenominateur, periodesDeLAnnee } from '@mixite/core';
import type { DuckDBIntegerVector } from '@duckdb/node-api';
import type { Store } from '../store/store.ts';
import { ident, literal } from '../store/sql-types.ts';
import { tranchesDeLAnnee, tranchesDeLaPeriode } from './indicators-sql.ts';

/**
 * The places of the secrecy pass (croisements.ts) of MANY EPCIs at once, from a facts table with an `epci` column (the
 * Parquet observatory, engine-epcis.ts). The same result, EPCI by EPCI, as croisementsDesLieux on that EPCI's distinct
 * places in the order of all their columns — but the dictionaries (each perimeter's index: the order of its first
 * place) are worked out in SQL, so that JavaScript reads integers only. Measured at national scale (681 870 places of
 * 1 255 EPCIs, the same places for every EPCI): 8.0 s of processor as objects of strings, most of it on the one
 * JavaScript thread, 3.9 s this way (docs/observatoire-parquet.md).
 */

/** The four breakdowns of a place, in the order of a place's flat entry after its slice. */
const DIMENSIONS = ['code_insee', 'bailleur_id', 'contingent', 'code_qpv'] as const;

type Dimension = (typeof DIMENSIONS)[number];

/** One EPCI's places being read: its dictionaries, its flat places per denominator. */
interface Places {
  readonly dicos: Record<Dimension, string[]>;
  readonly lieux: Record<string, number[]>;
}

type Octuple = [DuckDBIntegerVector, DuckDBIntegerVector, DuckDBIntegerVector, DuckDBIntegerVector, DuckDBIntegerVector, DuckDBIntegerVector, DuckDBIntegerVector, DuckDBIntegerVector];

/** The counting bases of the facts table, by their code in the query (a base is one or the other). */
const BASES = ['baux', 'propositions'] as const;

/**
 * The distinct places of a facts table with an `epci` column, numbered in the order croisementsDesLieux reads them
 * (ORDER BY ALL after the EPCI): `rang`. Written as is by an export beside its facts (parquet/faits-parquet.ts).
 */
export const lieuxDesFaitsSql = (table: string) => `SELECT *, row_number() OVER (PARTITION BY epci ORDER BY base, en_qpv, tranche, code_insee, bailleur_id, contingent, code_qpv) AS rang
FROM (SELECT DISTINCT epci, base, en_qpv, tranche, code_insee, bailleur_id, contingent, code_qpv FROM ${ident(table)})`;

/**
 * Each perimeter's index in its breakdown, from the numbered places (lieuxDesFaitsSql): the rank of its first place,
 * from 0 — a dictionary filled in that order. Written as is by an export beside its facts.
 */
export const dictionnairesDesLieuxSql = (lieux: string) =>
  DIMENSIONS.map(
    (d) => `SELECT epci, ${literal(d)} AS dimension, ${d} AS id, CAST(row_number() OVER (PARTITION BY epci ORDER BY min(rang)) - 1 AS INTEGER) AS indice
FROM ${ident(lieux)} WHERE ${d} IS NOT NULL GROUP BY epci, ${d}`,
  ).join('\nUNION ALL\n');

/** The numbered places and the dictionaries of the facts, read rather than computed: SELECTs of an export's files. */
export interface LieuxConnus {
  readonly lieux: string;
  readonly dictionnaires: string;
}

/**
 * Each EPCI's places, keyed by EPCI. `epcis` are the EPCIs to return (each gets its places, none when it has none);
 * the facts table `table` has their rows. `connus`: the numbered places and dictionaries an export wrote.
 */
export async function croisementsDesEpci(store: Store, table: string, annee: number, epcis: readonly string[], connus?: LieuxConnus): Promise<Map<string, CroisementsDuSecret>> {
  const lieux = ident(`${table}_lieux`);
  const dico = ident(`${table}_dico`);
  await store.run(`CREATE OR REPLACE TEMP TABLE ${lieux} AS\n${connus?.lieux ?? lieuxDesFaitsSql(table)}`);
  try {
    await store.run(`CREATE OR REPLACE TEMP TABLE ${dico} AS\n${connus?.dictionnaires ?? dictionnairesDesLieuxSql(`${table}_lieux`)}`);
    const vide = (): Places => ({ dicos: { code_insee: [], bailleur_id: [], contingent: [], code_qpv: [] }, lieux: {} });
    const parNumero = epcis.map(vide);
    const resultats = new Map(epcis.map((e, i) => [e, parNumero[i] as Places]));
    for (const { epci, dimension, id } of await store.all<{ epci: string; dimension: Dimension; id: string }>(`SELECT epci, dimension, id FROM ${dico} ORDER BY epci, dimension, indice`)) {
      resultats.get(epci)?.dicos[dimension].push(id);
    }
    // Every column read is an integer: the EPCI by its position in `epcis`, the base by its code, the perimeters by index.
    const numeros = epcis.map((e, i) => `(${literal(e)}, ${i})`).join(', ') || `(NULL, NULL)`;
    const result = await store.connection.run(`WITH numeros(epci, numero) AS (VALUES ${numeros})
SELECT CAST(n.numero AS INTEGER) AS e, CAST(CASE l.base WHEN 'baux' THEN 0 ELSE 1 END AS INTEGER) AS b,
  CAST(CASE WHEN l.en_qpv THEN 1 ELSE 0 END AS INTEGER) AS q, CAST(l.tranche AS INTEGER) AS t,
  ${DIMENSIONS.map((_, k) => `coalesce(d${k}.indice, -1) AS i${k}`).join(', ')}
FROM ${lieux} l JOIN numeros n ON n.epci = l.epci
${DIMENSIONS.map((d, k) => `LEFT JOIN ${dico} d${k} ON d${k}.epci = l.epci AND d${k}.dimension = ${literal(d)} AND d${k}.id = l.${d}`).join('\n')}
ORDER BY l.epci, l.rang`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const [e, b, q, t, i0, i1, i2, i3] = Array.from({ length: 8 }, (_, c) => chunk.getColumnVector(c) as DuckDBIntegerVector) as Octuple;
      for (let r = 0; r < chunk.rowCount; r++) {
        const cible = parNumero[e.getItem(r) as number];
        if (!cible) continue;
        const base = BASES[b.getItem(r) as number] as (typeof BASES)[number];
        const lieu = [t.getItem(r) as number, i0.getItem(r) as number, i1.getItem(r) as number, i2.getItem(r) as number, i3.getItem(r) as number];
        ajouter(cible.lieux, base, 'tout', lieu);
        ajouter(cible.lieux, base, q.getItem(r) === 1 ? 'qpv' : 'hors_qpv', lieu);
      }
    }
    const tranches = tranchesDeLAnnee(annee);
    const parPeriode = Object.fromEntries(periodesDeLAnnee(annee).map((p) => [p.id, tranchesDeLaPeriode(p, tranches)]));
    return new Map(
      [...resultats].map(([epci, { dicos, lieux: l }]) => [
        epci,
        { communes: dicos.code_insee, bailleurs: dicos.bailleur_id, contingents: dicos.contingent, qpv: dicos.code_qpv, lieux: l, tranches: parPeriode },
      ]),
    );
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${dico}`);
    await store.run(`DROP TABLE IF EXISTS ${lieux}`);
  }
}

function ajouter(lieux: Record<string, number[]>, base: string, champ: Champ, lieu: readonly number[]): void {
  const cle = cleDenominateur({ base: base as 'propositions' | 'baux', champ });
  (lieux[cle] ??= []).push(...lieu);
}
