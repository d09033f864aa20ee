import type { AnneeObservee, CiaConfig, ExclusionFlux, FluxParametres, LigneDroits, LigneEquilibre, MinimaEquilibre, Prevision } from '@mixite/core';
import { COLONNES_EQUILIBRE, droitsDuBailleur, equilibreDeLaConvention, fluxParametres, prevoirFlux } from '@mixite/core';
import { configurationCourante } from '../indicators/engine.ts';
import type { Store } from '../store/store.ts';
import { ident } from '../store/sql-types.ts';
import { allocationsFluxSql, typologieSql } from './flux-sql.ts';

/**
 * The flux of each bailleur for year N (R441-5; docs/flux.md): SQL counts the leases, the stock and the
 * orientations; the core (flux/prevision.ts, flux/droits.ts) computes the forecast, the rights and the balances.
 */

export interface FluxOptions {
  readonly annee: number;
  /** One bailleur only. */
  readonly bailleur?: string | null;
  readonly config?: CiaConfig;
}

export const DIMENSIONS_FLUX = ['typologie', 'qpv', 'financement'] as const;
export type DimensionFlux = (typeof DIMENSIONS_FLUX)[number];

export interface LigneDimension {
  readonly reservataireId: string;
  readonly dimension: DimensionFlux;
  readonly modalite: string;
  readonly part: number;
  /** Leases of the flow in this modality (all contingents). */
  readonly flux: number;
  readonly droits: number;
  readonly orientations: number;
}

export interface FluxDuBailleur {
  readonly bailleurId: string;
  readonly nom: string;
  readonly annee: number;
  readonly prevision: Prevision;
  /** Leases of N in the flow. */
  readonly realise: number;
  /** Leases of N on the bailleur's dwellings, before exclusions. */
  readonly baux: number;
  /** Leases kept out of the flow, by exclusion (a lease may fall under several). */
  readonly exclus: Readonly<Record<ExclusionFlux, number>>;
  /** Year N, one line per réservataire and the bailleur's own share last. */
  readonly droits: readonly LigneDroits[];
  readonly parDimension: readonly LigneDimension[];
  /**
   * The balance columns of the year's conventions (`part_qpv_min`…): per réservataire and column, the share of its
   * orientations of N in those modalities against the minimum (core flux/equilibre.ts).
   */
  readonly equilibre: readonly LigneEquilibre[];
  /** Orientations per réservataire and month (1–12) of N. */
  readonly mensuel: readonly { readonly reservataireId: string; readonly mois: number; readonly orientations: number }[];
}

export interface FluxResultat {
  readonly annee: number;
  readonly parametres: FluxParametres;
  readonly reservataires: Readonly<Record<string, { readonly nom: string; readonly type: string }>>;
  readonly bailleurs: readonly FluxDuBailleur[];
}

let compteur = 0;

function grouperPar<R>(rows: readonly R[], cle: (r: R) => string): Map<string, R[]> {
  const m = new Map<string, R[]>();
  for (const r of rows) {
    const k = cle(r);
    const g = m.get(k);
    if (g) g.push(r);
    else m.set(k, [r]);
  }
  return m;
}
type N = number | string;
const num = (v: N | null | undefined) => Number(v ?? 0);

export async function calculerFlux(store: Store, options: FluxOptions): Promise<FluxResultat> {
  const config = options.config ?? (await configurationCourante(store));
  const parametres = fluxParametres(config.flux);
  const { annee } = options;
  const k = parametres.annees_prevision;
  const filtre = options.bailleur ?? null;

  const bailleurs = await store.all<{ id: string; nom: string }>(`SELECT id, nom FROM bailleurs WHERE $1::VARCHAR IS NULL OR id = $1 ORDER BY id`, [filtre]);
  const conventions = (
    await store.all<{ bailleur_id: string; reservataire_id: string; annee: number; part: number }>(
      `SELECT bailleur_id, reservataire_id, annee, part FROM conventions WHERE annee <= $1 AND ($2::VARCHAR IS NULL OR bailleur_id = $2)`,
      [annee, filtre],
    )
  ).map((c) => ({ bailleurId: c.bailleur_id, reservataireId: c.reservataire_id, annee: c.annee, part: c.part }));
  // Balances are carried from the bailleur's first convention year (before it, no flux to account for).
  const premiere = new Map<string, number>();
  for (const c of conventions) premiere.set(c.bailleurId, Math.min(premiere.get(c.bailleurId) ?? annee, c.annee));
  const debut = Math.min(annee, ...premiere.values()) - k;

  // One table per computation: the server's requests share a connection.
  const t = ident(`mixite_flux_${process.pid}_${++compteur}`);
  await store.run(`CREATE TEMP TABLE ${t} AS SELECT * FROM (${allocationsFluxSql(config, parametres)}) WHERE $1::VARCHAR IS NULL OR bailleur_id = $1`, [filtre]);
  try {
    // Years with data: at least one lease in the territory (years before the data begins are not zero-flow years).
    const anneesAvecBaux = new Set(
      (await store.all<{ y: number }>(`SELECT DISTINCT year(date_bail)::INTEGER AS y FROM attributions WHERE issue = 'bail_signe' AND date_bail IS NOT NULL`)).map((r) => r.y),
    );
    const horsFlux = parametres.exclusions.includes('logements_hors_flux') ? 'NOT coalesce(hors_flux, FALSE)' : 'TRUE';
    const annuel = await store.all<{ bailleur_id: string; y: number; baux: N; realise: N; premieres: N; x_mut: N; x_anru: N; x_hf: N }>(
      `SELECT bailleur_id, year(date_bail)::INTEGER AS y, count(*)::INTEGER AS baux,
              count(*) FILTER (WHERE NOT exclu)::INTEGER AS realise,
              count(*) FILTER (WHERE NOT exclu AND premiere_location)::INTEGER AS premieres,
              count(*) FILTER (WHERE x_mutations_internes)::INTEGER AS x_mut,
              count(*) FILTER (WHERE x_relogements_anru)::INTEGER AS x_anru,
              count(*) FILTER (WHERE x_logements_hors_flux)::INTEGER AS x_hf
       FROM ${t} WHERE est_bail AND year(date_bail) BETWEEN $1 AND $2 GROUP BY ALL`,
      [debut, annee],
    );
    const stock = await store.all<{ bailleur_id: string; y: number; stock: N; mises: N }>(
      `SELECT l.bailleur_id, y.y::INTEGER AS y,
              count(*) FILTER (WHERE l.date_mise_en_service IS NULL OR l.date_mise_en_service < make_date(y.y::INTEGER, 1, 1))::INTEGER AS stock,
              count(*) FILTER (WHERE year(l.date_mise_en_service) = y.y)::INTEGER AS mises
       FROM logements l CROSS JOIN range($1, $2 + 1) y(y)
       WHERE ${horsFlux} AND ($3::VARCHAR IS NULL OR l.bailleur_id = $3) GROUP BY ALL`,
      [debut, annee, filtre],
    );
    const orientations = await store.all<{ bailleur_id: string; contingent: string; y: number; n: N }>(
      `SELECT bailleur_id, contingent, year(date_bail)::INTEGER AS y, count(*)::INTEGER AS n
       FROM ${t} WHERE est_bail AND NOT exclu AND year(date_bail) BETWEEN $1 AND $2 GROUP BY ALL`,
      [debut, annee],
    );
    const dims = await store.all<{ bailleur_id: string; contingent: string; dimension: DimensionFlux; modalite: string; n: N }>(
      `WITH f AS (SELECT * FROM ${t} WHERE est_bail AND NOT exclu AND year(date_bail) = $1)
       SELECT bailleur_id, contingent, 'typologie' AS dimension, ${typologieSql('nb_pieces')} AS modalite, count(*)::INTEGER AS n FROM f GROUP BY ALL
       UNION ALL SELECT bailleur_id, contingent, 'qpv', CASE WHEN en_qpv THEN 'qpv' ELSE 'hors_qpv' END, count(*)::INTEGER FROM f GROUP BY ALL
       UNION ALL SELECT bailleur_id, contingent, 'financement', coalesce(financement, 'inconnu'), count(*)::INTEGER FROM f GROUP BY ALL`,
      [annee],
    );
    const mensuel = await store.all<{ bailleur_id: string; contingent: string; mois: number; n: N }>(
      `SELECT bailleur_id, contingent, month(date_bail)::INTEGER AS mois, count(*)::INTEGER AS n
       FROM ${t} WHERE est_bail AND NOT exclu AND year(date_bail) = $1 GROUP BY ALL ORDER BY ALL`,
      [annee],
    );
    const minima = await store.all<{ bailleur_id: string; reservataire_id: string } & Record<(typeof COLONNES_EQUILIBRE)[number], number | null>>(
      `SELECT bailleur_id, reservataire_id, ${COLONNES_EQUILIBRE.map((c) => `${c}::DOUBLE AS ${c}`).join(', ')} FROM conventions
       WHERE annee = $1 AND ($2::VARCHAR IS NULL OR bailleur_id = $2) AND (${COLONNES_EQUILIBRE.map((c) => `${c} IS NOT NULL`).join(' OR ')})
       ORDER BY bailleur_id, reservataire_id`,
      [annee, filtre],
    );
    const minimaDe = grouperPar(minima, (m) => m.bailleur_id);
    const reservataires = Object.fromEntries(
      (await store.all<{ id: string; nom: string; type: string }>(`SELECT id, nom, type FROM reservataires`)).map((r) => [r.id, { nom: r.nom, type: r.type }]),
    );

    // Rows indexed by bailleur (and year) once: looking them up by scanning for each bailleur was quadratic
    // (1.2 s of the 175 bailleurs of Île-de-France).
    const parBailleurAn = <R extends { bailleur_id: string; y: number }>(rows: readonly R[]) => new Map(rows.map((r) => [`${r.bailleur_id}|${r.y}`, r]));
    const annuels = parBailleurAn(annuel);
    const stocks = parBailleurAn(stock);
    const orientationsDe = grouperPar(orientations, (o) => `${o.bailleur_id}|${o.y}`);
    const dimsDe = grouperPar(dims, (d) => d.bailleur_id);
    const mensuelDe = grouperPar(mensuel, (m) => m.bailleur_id);

    const resultat: FluxDuBailleur[] = bailleurs.map((b) => {
      const an = (y: number) => annuels.get(`${b.id}|${y}`);
      const st = (y: number) => stocks.get(`${b.id}|${y}`);
      const prevoir = (n: number): Prevision => {
        const observees: AnneeObservee[] = [];
        for (let y = n - k; y < n; y++) {
          if (!anneesAvecBaux.has(y)) continue;
          observees.push({ annee: y, realise: num(an(y)?.realise), premieresLocations: num(an(y)?.premieres), stockDebut: num(st(y)?.stock) });
        }
        return prevoirFlux({ annee: n, anneesObservees: observees, stockDebut: num(st(n)?.stock), misesEnService: num(st(n)?.mises) });
      };
      const premiereAnnee = Math.min(premiere.get(b.id) ?? annee, annee);
      const annees = [];
      for (let y = premiereAnnee; y <= annee; y++) {
        annees.push({
          annee: y,
          prevision: prevoir(y).valeur,
          realise: num(an(y)?.realise),
          orientations: new Map((orientationsDe.get(`${b.id}|${y}`) ?? []).map((o) => [o.contingent, num(o.n)])),
        });
      }
      const droits = droitsDuBailleur(b.id, annees, conventions).filter((l) => l.annee === annee);
      const parts = new Map(droits.map((l) => [l.reservataireId, l.part]));
      const siens = dimsDe.get(b.id) ?? [];
      const fluxDe = new Map<string, number>();
      const orientesDe = new Map<string, number>();
      for (const d of siens) {
        fluxDe.set(`${d.dimension}|${d.modalite}`, (fluxDe.get(`${d.dimension}|${d.modalite}`) ?? 0) + num(d.n));
        orientesDe.set(`${d.contingent}|${d.dimension}|${d.modalite}`, num(d.n));
      }
      const parDimension: LigneDimension[] = [];
      for (const [cle, flux] of [...fluxDe.entries()].sort()) {
        const [dimension, modalite] = cle.split('|') as [DimensionFlux, string];
        for (const l of droits) {
          const orientes = orientesDe.get(`${l.reservataireId}|${dimension}|${modalite}`) ?? 0;
          const part = parts.get(l.reservataireId) ?? 0;
          parDimension.push({ reservataireId: l.reservataireId, dimension, modalite, part, flux, droits: part * flux, orientations: orientes });
        }
      }
      const orientationsDuReservataire = new Map(droits.map((l) => [l.reservataireId, l.orientations]));
      const equilibre = (minimaDe.get(b.id) ?? []).flatMap((m) =>
        equilibreDeLaConvention(m.reservataire_id, Object.fromEntries(COLONNES_EQUILIBRE.map((c) => [c, m[c]])) as MinimaEquilibre, {
          total: orientationsDuReservataire.get(m.reservataire_id) ?? 0,
          parModalite: (dimension, modalite) => orientesDe.get(`${m.reservataire_id}|${dimension}|${modalite}`) ?? 0,
        }),
      );
      const a = an(annee);
      return {
        bailleurId: b.id,
        nom: b.nom,
        annee,
        prevision: prevoir(annee),
        realise: num(a?.realise),
        baux: num(a?.baux),
        exclus: { mutations_internes: num(a?.x_mut), relogements_anru: num(a?.x_anru), logements_hors_flux: num(a?.x_hf) },
        droits,
        parDimension,
        equilibre,
        mensuel: (mensuelDe.get(b.id) ?? []).map((m) => ({ reservataireId: m.contingent, mois: m.mois, orientations: num(m.n) })),
      };
    });
    return { annee, parametres, reservataires, bailleurs: resultat };
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${t}`);
  }
}
