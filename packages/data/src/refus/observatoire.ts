import type { CiaConfig, DimensionRefus, MotifRefusObserve, ProfilRefus } from '@mixite/core';
import {
  DIMENSIONS_REFUS,
  LIBELLES_DIMENSION_REFUS,
  LIBELLES_MODALITE_REFUS,
  LIBELLES_MOTIF_REFUS,
  LIBELLES_PROFIL_REFUS,
  MOTIFS_REFUS_OBSERVES,
  MOTIF_NON_RENSEIGNE,
  NON_RESERVE_PREFIX,
  PROFILS_REFUS,
  TRANCHES_LOYER,
  libelleTrancheLoyer,
  part,
  tauxRefus,
} from '@mixite/core';
import { configurationCourante } from '../indicators/engine.ts';
import { seuilsQ1DesAnnees } from '../indicators/limites.ts';
import { ident, literal } from '../store/sql-types.ts';
import type { Store } from '../store/store.ts';
import { analyserMutations } from './mutations.ts';
import type { Mutations } from './mutations.ts';
import { propositionsBrutesSql, propositionsTableSql } from './propositions-sql.ts';

/**
 * The refusal observatory of year N (issue 15 item 3, seed 002 §3.4.3): refusal rates and motives by residence,
 * typology, QPV, contingent, bailleur, rent band and Q1, each with the rate of N−1; the trend over the years with
 * proposals; the residences most refused; how many refusals a household made before the lease it signed in N, by
 * profile. Counting rules: core/src/refus/observatoire.ts. Aggregates of the whole territory (shared between the
 * partners like the indicators, docs/refus-mutations.md).
 */

export interface MotifCompte {
  readonly motif: MotifRefusObserve;
  readonly libelle: string;
  readonly refus: number;
}

export interface LigneRefus {
  readonly modalite: string;
  readonly libelle: string;
  readonly propositions: number;
  readonly refus: number;
  readonly taux: number | null;
  /** The same cell in N−1. */
  readonly propositions_precedentes: number;
  readonly taux_precedent: number | null;
  /** Refusals of N by motive, every motive listed (zeros included). */
  readonly motifs: readonly MotifCompte[];
}

export interface VentilationRefus {
  readonly dimension: DimensionRefus;
  readonly libelle: string;
  readonly lignes: readonly LigneRefus[];
}

export interface AnneeRefus {
  readonly annee: number;
  readonly propositions: number;
  readonly refus: number;
  readonly taux: number | null;
  readonly motifs: readonly MotifCompte[];
}

export interface ResidenceRefusee extends LigneRefus {
  readonly bailleur: string | null;
  readonly commune: string | null;
  readonly en_qpv: boolean;
}

export interface RefusAvantBail {
  readonly profil: ProfilRefus;
  readonly libelle_profil: string;
  readonly modalite: string;
  readonly libelle: string;
  /** Leases signed in N. */
  readonly baux: number;
  /** Refusals by the same household (NUR) at an earlier CALEOL than the lease's. */
  readonly refus: number;
  readonly moyenne: number | null;
  readonly sans_refus: number;
  readonly un_refus: number;
  readonly deux_refus_ou_plus: number;
}

export interface ObservatoireRefus {
  readonly annee: number;
  readonly ensemble: LigneRefus;
  readonly ventilations: readonly VentilationRefus[];
  readonly tendance: readonly AnneeRefus[];
  readonly residences_plus_refusees: readonly ResidenceRefusee[];
  readonly refus_avant_bail: readonly RefusAvantBail[];
  readonly mutations: Mutations;
}

export interface RefusOptions {
  readonly annee: number;
  readonly config?: CiaConfig;
  /** How many residences in the « most refused » list (10 by default). */
  readonly residences?: number;
  /** Years of the trend, N included (5 by default). */
  readonly anneesTendance?: number;
}

type N = number | string | null;
const n = (v: N | undefined) => Number(v ?? 0);

/** The modality expression of each dimension over the proposals table. */
const MODALITE: Record<DimensionRefus | 'ensemble', string> = {
  ensemble: `'ensemble'`,
  residence: `coalesce(residence_id, '')`,
  typologie: 'typologie',
  qpv: `CASE WHEN en_qpv THEN 'qpv' ELSE 'hors_qpv' END`,
  reservataire: 'contingent',
  bailleur: 'bailleur_id',
  loyer: 'tranche_loyer',
  quartile: `CASE WHEN est_q1 IS NULL THEN 'inconnu' WHEN est_q1 THEN 'q1' ELSE 'non_q1' END`,
};

const PROFIL: Record<ProfilRefus, string> = {
  ensemble: `'ensemble'`,
  quartile: MODALITE.quartile,
  prioritaire: `CASE WHEN prioritaire THEN 'oui' ELSE 'non' END`,
  mutation: `CASE WHEN mutation THEN 'mutation' ELSE 'premier_acces' END`,
  typologie: 'typologie',
};

let compteur = 0;

export async function analyserRefus(store: Store, options: RefusOptions): Promise<ObservatoireRefus> {
  const { annee } = options;
  if (!Number.isInteger(annee) || annee < 2001 || annee > 2099) throw new RangeError(`année invalide : ${annee}`);
  const config = options.config ?? (await configurationCourante(store));
  const { parEpci } = await seuilsQ1DesAnnees(store, config, [annee - 1, annee]);
  const t = `mixite_refus_${process.pid}_${++compteur}`;
  await store.run(propositionsTableSql(t, config, annee, parEpci));
  try {
    const table = ident(t);
    const brutes = propositionsBrutesSql(annee);
    const motifs = MOTIFS_REFUS_OBSERVES.map(
      (m) => `count(*) FILTER (WHERE refuse AND coalesce(motif_refus, ${literal(MOTIF_NON_RENSEIGNE)}) = ${literal(m)})::INTEGER AS m_${m}`,
    ).join(', ');
    // Every breakdown of N−1 and N in one pass over the table (GROUPING SETS): the dimension of a row is the one
    // column it is grouped by.
    const dimensions = DIMENSIONS_REFUS.map((d) => ({ d, col: `g_${d}` }));
    const cellules = await store.all<Record<string, N> & { dimension: string; modalite: string; annee: number }>(
      `WITH m AS (SELECT annee, refuse, motif_refus, ${dimensions.map(({ d, col }) => `${MODALITE[d]} AS ${col}`).join(', ')} FROM ${table} WHERE annee IN (${annee - 1}, ${annee}))
SELECT CASE ${dimensions.map(({ d, col }) => `WHEN grouping(${col}) = 0 THEN ${literal(d)}`).join(' ')} ELSE 'ensemble' END AS dimension,
  CASE ${dimensions.map(({ col }) => `WHEN grouping(${col}) = 0 THEN ${col}`).join(' ')} ELSE 'ensemble' END AS modalite,
  annee, count(*)::INTEGER AS propositions, count(*) FILTER (WHERE refuse)::INTEGER AS refus, ${motifs}
FROM m GROUP BY GROUPING SETS ((annee), ${dimensions.map(({ col }) => `(annee, ${col})`).join(', ')})`,
    );
    const tendanceLignes = await store.all<Record<string, N> & { annee: number }>(
      `SELECT annee, count(*)::INTEGER AS propositions, count(*) FILTER (WHERE refuse)::INTEGER AS refus, ${motifs}
FROM ${brutes} WHERE annee > ${annee - (options.anneesTendance ?? 5)} GROUP BY annee ORDER BY annee`,
    );
    // Refusals before each lease of N: the same NUR's refusals at an earlier CALEOL.
    const avant = await store.all<{ profil: ProfilRefus; modalite: string; baux: N; refus: N; zero: N; un: N; plus: N }>(
      `WITH baux AS (SELECT * FROM ${table} WHERE bail AND year(date_bail) = ${annee}),
refus AS (SELECT nur, date_cal FROM ${brutes} WHERE refuse),
comptes AS (
  SELECT baux.id, count(refus.nur) AS avant FROM baux LEFT JOIN refus ON refus.nur = baux.nur AND refus.date_cal < baux.date_cal GROUP BY baux.id
),
b AS (SELECT baux.*, comptes.avant FROM baux JOIN comptes ON comptes.id = baux.id)
${PROFILS_REFUS.map(
  (p) => `SELECT ${literal(p)} AS profil, ${PROFIL[p]} AS modalite, count(*)::INTEGER AS baux, sum(avant)::INTEGER AS refus,
  count(*) FILTER (WHERE avant = 0)::INTEGER AS zero, count(*) FILTER (WHERE avant = 1)::INTEGER AS un, count(*) FILTER (WHERE avant >= 2)::INTEGER AS plus
FROM b GROUP BY ALL`,
).join('\nUNION ALL\n')}`,
    );
    const { noms, residences } = await nomsDesModalites(store);
    const comptesMotifs = (row: Record<string, N> | undefined): MotifCompte[] =>
      MOTIFS_REFUS_OBSERVES.map((m) => ({ motif: m, libelle: libelleMotif(m), refus: n(row?.[`m_${m}`]) }));
    // Indexed once: a territory has thousands of residences, and a search of the list per line would be quadratic.
    const index = new Map(cellules.map((c) => [`${c.dimension}|${c.modalite}|${c.annee}`, c] as const));
    const ligne = (dimension: DimensionRefus | 'ensemble', modalite: string): LigneRefus => {
      const cette = index.get(`${dimension}|${modalite}|${annee}`);
      const avantN = index.get(`${dimension}|${modalite}|${annee - 1}`);
      return {
        modalite,
        libelle: libelleModalite(dimension, modalite, noms),
        propositions: n(cette?.['propositions']),
        refus: n(cette?.['refus']),
        taux: tauxRefus(n(cette?.['refus']), n(cette?.['propositions'])),
        propositions_precedentes: n(avantN?.['propositions']),
        taux_precedent: tauxRefus(n(avantN?.['refus']), n(avantN?.['propositions'])),
        motifs: comptesMotifs(cette),
      };
    };
    const ventilations: VentilationRefus[] = DIMENSIONS_REFUS.map((dimension) => {
      const modalites = new Set(cellules.filter((c) => c.dimension === dimension).map((c) => c.modalite));
      if (dimension === 'loyer') for (const b of TRANCHES_LOYER) modalites.add(b);
      if (dimension === 'qpv') ['qpv', 'hors_qpv'].forEach((m) => modalites.add(m));
      if (dimension === 'quartile') ['q1', 'non_q1'].forEach((m) => modalites.add(m));
      const ordre = dimension === 'loyer' ? (m: string) => TRANCHES_LOYER.indexOf(m) : null;
      const lignes = [...modalites]
        .sort((a, b) => (ordre ? ordre(a) - ordre(b) : a.localeCompare(b, 'fr')))
        .map((m) => ligne(dimension, m))
        // A modality of N−1 alone (a residence with no proposal in N) is not a line of year N.
        .filter((l) => l.propositions > 0 || (dimension !== 'residence' && dimension !== 'bailleur' && dimension !== 'reservataire'));
      return { dimension, libelle: LIBELLES_DIMENSION_REFUS[dimension], lignes };
    });
    const parId = new Map(residences.map((r) => [r.id, r] as const));
    const parResidence = ventilations.find((v) => v.dimension === 'residence')?.lignes ?? [];
    const residences_plus_refusees: ResidenceRefusee[] = parResidence
      .filter((l) => l.modalite !== '' && l.refus > 0)
      .sort((a, b) => b.refus - a.refus || (b.taux ?? 0) - (a.taux ?? 0) || a.modalite.localeCompare(b.modalite))
      .slice(0, options.residences ?? 10)
      .map((l) => {
        const r = parId.get(l.modalite);
        return { ...l, bailleur: r?.bailleur ?? null, commune: r?.commune ?? null, en_qpv: r?.en_qpv ?? false };
      });
    const refus_avant_bail: RefusAvantBail[] = avant
      .map((a) => ({
        profil: a.profil,
        libelle_profil: LIBELLES_PROFIL_REFUS[a.profil],
        modalite: a.modalite,
        libelle: a.profil === 'typologie' ? libelleModalite('typologie', a.modalite, noms) : (LIBELLES_MODALITE_REFUS[a.modalite] ?? a.modalite),
        baux: n(a.baux),
        refus: n(a.refus),
        moyenne: part(n(a.refus), n(a.baux)),
        sans_refus: n(a.zero),
        un_refus: n(a.un),
        deux_refus_ou_plus: n(a.plus),
      }))
      .sort((x, y) => PROFILS_REFUS.indexOf(x.profil) - PROFILS_REFUS.indexOf(y.profil) || x.modalite.localeCompare(y.modalite));
    const tendance: AnneeRefus[] = tendanceLignes.map((r) => ({
      annee: r.annee,
      propositions: n(r['propositions']),
      refus: n(r['refus']),
      taux: tauxRefus(n(r['refus']), n(r['propositions'])),
      motifs: comptesMotifs(r),
    }));
    const mutations = await analyserMutations(store, { annee, config, table: t });
    return { annee, ensemble: ligne('ensemble', 'ensemble'), ventilations, tendance, residences_plus_refusees, refus_avant_bail, mutations };
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${ident(t)}`);
  }
}

interface Noms {
  readonly residences: ReadonlyMap<string, string | null>;
  readonly bailleurs: ReadonlyMap<string, string>;
  readonly reservataires: ReadonlyMap<string, string>;
}

interface ResidenceNommee {
  readonly id: string;
  readonly nom: string | null;
  readonly bailleur: string | null;
  readonly commune: string | null;
  readonly en_qpv: boolean;
}

/** The names of the modalities, the residences read once (tens of thousands of rows at a region's scale). */
async function nomsDesModalites(store: Store): Promise<{ noms: Noms; residences: ResidenceNommee[] }> {
  const paires = async (q: string) => new Map((await store.all<{ id: string; nom: string | null }>(q)).map((r) => [r.id, r.nom] as const));
  const residences = await store.all<ResidenceNommee>(
    `SELECT r.id, r.nom, b.nom AS bailleur, c.nom AS commune, r.code_qpv IS NOT NULL AS en_qpv
     FROM residences r LEFT JOIN bailleurs b ON b.id = r.bailleur_id LEFT JOIN communes c ON c.code_insee = r.code_insee`,
  );
  return {
    noms: {
      residences: new Map(residences.map((r) => [r.id, r.nom] as const)),
      bailleurs: (await paires(`SELECT id, nom FROM bailleurs`)) as Map<string, string>,
      reservataires: (await paires(`SELECT id, nom FROM reservataires`)) as Map<string, string>,
    },
    residences,
  };
}

const libelleMotif = (m: MotifRefusObserve): string => (m === MOTIF_NON_RENSEIGNE ? 'Motif non renseigné' : LIBELLES_MOTIF_REFUS[m]);

function libelleModalite(dimension: DimensionRefus | 'ensemble', modalite: string, noms: Noms): string {
  switch (dimension) {
    case 'residence':
      return modalite === '' ? 'Sans résidence connue' : `${noms.residences.get(modalite) ?? modalite} (${modalite})`;
    case 'bailleur':
      return noms.bailleurs.get(modalite) ?? modalite;
    case 'reservataire':
      if (modalite.startsWith(NON_RESERVE_PREFIX)) {
        const b = modalite.slice(NON_RESERVE_PREFIX.length);
        return `Non réservé — ${noms.bailleurs.get(b) ?? b}`;
      }
      return noms.reservataires.get(modalite) ?? modalite;
    case 'loyer':
      return libelleTrancheLoyer(modalite);
    case 'typologie':
      return modalite === 'inconnue' ? 'Typologie inconnue' : modalite;
    default:
      return LIBELLES_MODALITE_REFUS[modalite] ?? modalite;
  }
}
