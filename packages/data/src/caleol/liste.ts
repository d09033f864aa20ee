import type { CaleolParametres, CiaConfig, Composition, ContexteCaleol, DemandeCaleol, Financement, Grille, ListeCaleol, LogementCaleol, TypeContingent, ZoneApl } from '@mixite/core';
import {
  IntrouvableError,
  RequeteInvalideError,
  baremeApplicable,
  classeFragiliteSql,
  composerListe,
  estDateIso,
  estZoneApl,
  parametresCaleol,
  parametresParc,
  zonePlafonds,
} from '@mixite/core';
import type { Contexte } from '../cotation/contexte.ts';
import { avec, contexte } from '../cotation/contexte.ts';
import { planCotation } from '../cotation/cotation-sql.ts';
import { configurationCourante } from '../indicators/engine.ts';
import { seuilsQ1DesAnnees } from '../indicators/limites.ts';
import { contingentSql } from '../indicators/regles-sql.ts';
import { ident } from '../store/sql-types.ts';
import { sql } from '../store/sql.ts';
import type { Store } from '../store/store.ts';
import { avecVivier, etatDesDonnees } from './vivier.ts';

/**
 * The candidate list of a vacant dwelling over the store (issue 15, docs/caleol.md). DuckDB does what is set-based and
 * cheap: the requests active at the date whose wishes fit the dwelling (typology, commune, PMR), scored by the CIA's
 * grid through the cotation engine (cotation-sql.ts, restricted to them by `filtreDemandes`), in ranking order. The
 * rules that need the household (income ceiling, effort rate after APL, Q1, effects, the list rules) are core's
 * (`composerListe`), read on the best-ranked rows: first a page, then every row when the page did not fill the list
 * or leave every rule decided — so the answer is that of `composerListe` over all the fitting requests.
 */

export interface OptionsListe {
  readonly logement: string;
  /** YYYY-MM-DD; default the date of the data. */
  readonly date?: string;
  readonly grille: Grille;
  readonly nombre?: number;
  readonly config?: CiaConfig;
  /**
   * Reads the pool of the date and grid (vivier.ts), built on the first list: for a server preparing many lists on
   * one store. A one-off list (the CLI) reads the demand directly: building the pool costs more than one list.
   */
  readonly vivier?: boolean;
}

export interface ResultatListe {
  readonly date: string;
  readonly logement: LogementCaleol & { readonly code_epci: string | null; readonly residence_id: string | null };
  readonly grille: { readonly nom: string; readonly version: string | number | null };
  readonly seuil_q1: number | null;
  readonly bareme_apl: string | null;
  readonly parametres: CaleolParametres;
  readonly liste: ListeCaleol;
  /** Rows read in ranking order: `liste.eligibles` counts the eligible ones among them. */
  readonly lues: number;
}

/** The first page read; the whole ranking is read only when the page does not decide the list. */
const PAGE = 100;

interface LigneLogement {
  id: string;
  bailleur_id: string;
  code_insee: string;
  code_qpv: string | null;
  nb_pieces: number;
  financement: string | null;
  loyer: number | null;
  charges: number | null;
  pmr: boolean;
  contingent: string;
  type_contingent: string;
  zone_apl: string | null;
  code_epci: string | null;
  assimile: boolean;
  residence_id: string | null;
}

/** The dwelling as the rules read it; IntrouvableError when logements.csv does not have it. */
export async function logementCaleol(store: Store, id: string, config: CiaConfig, parametres: CaleolParametres): Promise<ResultatListe['logement']> {
  const { contingent, typeContingent } = contingentSql({ a: 'l', l: 'l' }, 'r');
  const [l] = await store.all<LigneLogement>(sql`
    SELECT l.id, l.bailleur_id, l.code_insee, l.code_qpv, CAST(l.nb_pieces AS INTEGER) AS nb_pieces, l.financement,
      CAST(l.loyer AS DOUBLE) AS loyer, CAST(l.charges AS DOUBLE) AS charges, coalesce(l.pmr, FALSE) AS pmr,
      ${sql.raw(contingent)} AS contingent, ${sql.raw(typeContingent)} AS type_contingent,
      c.zone_apl, c.code_epci, coalesce(q.assimile, FALSE) AS assimile, l.residence_id
    FROM logements l
    LEFT JOIN communes c ON c.code_insee = l.code_insee
    LEFT JOIN reservataires r ON r.id = l.contingent
    LEFT JOIN qpv q ON q.code_qpv = l.code_qpv
    WHERE l.id = ${id}`);
  if (!l) throw new IntrouvableError(`logement « ${id} » absent de logements.csv : vérifiez son identifiant (colonne id de logements.csv)`);
  return {
    id: l.id,
    bailleur_id: l.bailleur_id,
    code_insee: l.code_insee,
    code_qpv: l.code_qpv,
    en_qpv: l.code_qpv !== null && (!l.assimile || config.assimiles_comme_qpv),
    nb_pieces: l.nb_pieces,
    financement: l.financement as Financement | null,
    loyer: l.loyer,
    charges: l.charges,
    pmr: l.pmr,
    contingent: l.contingent,
    type_contingent: l.type_contingent as TypeContingent,
    zone_apl: estZoneApl(l.zone_apl) ? (l.zone_apl as ZoneApl) : null,
    zone_plafonds: zonePlafonds(l.code_insee, parametres.communes_paris_limitrophes),
    code_epci: l.code_epci,
    residence_id: l.residence_id,
  };
}

/** Refuses a date that is not a date, or that comes before the first request of the store. */
export async function verifierDateCaleol(store: Store, date: string): Promise<void> {
  if (!estDateIso(date)) throw new RequeteInvalideError(`date invalide « ${date} » : une date AAAA-MM-JJ est attendue, par exemple 2025-06-30`);
  const [r] = await store.all<{ premiere: string | null }>(`SELECT CAST(min(date_depot) AS VARCHAR) AS premiere FROM demandes`);
  if (!r?.premiere) throw new RequeteInvalideError('la base ne contient aucune demande : importez demandes.csv avant de préparer une CALEOL');
  if (date < r.premiere) throw new RequeteInvalideError(`la date ${date} précède les données : la première demande de la base a été déposée le ${r.premiere}`);
}

interface LigneDemande {
  nur: string;
  note: number;
  date_depot: string;
  date_radiation: string | null;
  nb_personnes: number;
  nb_moins_14_ans: number | null;
  composition: string | null;
  ressources_mensuelles: number;
  revenu_fiscal: string | null;
  typologie_min: number | null;
  typologie_max: number | null;
  communes_souhaitees: string | null;
  pmr: boolean;
  handicap: boolean;
  dalo: boolean;
  prioritaire: boolean;
  mutation: boolean;
  relogement_anru: boolean;
  travailleur_essentiel: boolean;
  total: number;
}

/** The free column of demandes.csv read as the taxable income (revenu fiscal de référence, € a year). */
export const COLONNE_REVENU_FISCAL = 'revenu_fiscal_reference';

/** The fit to the dwelling that SQL checks (alias d), its values named parameters: the same rules as eligibilite.ts. */
const FILTRE = `(d.typologie_min IS NULL OR d.typologie_min <= $caleol_pieces)
  AND (d.typologie_max IS NULL OR d.typologie_max >= $caleol_pieces)
  AND (nullif(replace(coalesce(d.communes_souhaitees, ''), ' ', ''), '') IS NULL
    OR (contains(d.communes_souhaitees, $caleol_insee) AND list_contains(string_split(replace(d.communes_souhaitees, ' ', ''), '|'), $caleol_insee)))
  AND (NOT coalesce(d.pmr, FALSE) OR $caleol_pmr)`;

/** The household's columns that the rules read (alias d = demandes), in the order of `LigneDemande`. */
const COLONNES_DEMANDE = `CAST(d.date_depot AS VARCHAR) AS date_depot,
        CAST(d.date_radiation AS VARCHAR) AS date_radiation, CAST(d.nb_personnes AS INTEGER) AS nb_personnes,
        CAST(d.nb_moins_14_ans AS INTEGER) AS nb_moins_14_ans, d.composition, CAST(d.ressources_mensuelles AS DOUBLE) AS ressources_mensuelles,
        d.attributs['${COLONNE_REVENU_FISCAL}'] AS revenu_fiscal,
        CAST(d.typologie_min AS INTEGER) AS typologie_min, CAST(d.typologie_max AS INTEGER) AS typologie_max, d.communes_souhaitees,
        coalesce(d.pmr, FALSE) AS pmr, coalesce(d.handicap, FALSE) AS handicap, coalesce(d.dalo, FALSE) AS dalo,
        coalesce(d.prioritaire, FALSE) AS prioritaire, coalesce(d.mutation, FALSE) AS mutation,
        coalesce(d.relogement_anru, FALSE) AS relogement_anru, coalesce(d.travailleur_essentiel, FALSE) AS travailleur_essentiel`;

/**
 * The commune of the pool's rows without a wish. Not '': DuckDB 1.5 does not skip row groups on an equality with the
 * empty string (a full scan, 130 ms for 2 million rows, against 4 ms for '*'); no INSEE code is '*'.
 */
const SANS_SOUHAIT = '*';

/** The columns of the pool besides the commune, in the order of `LigneDemande` without `total`. */
const COLONNES_VIVIER = ['nur', 'note', 'date_depot', 'date_radiation', 'nb_personnes', 'nb_moins_14_ans', 'composition', 'ressources_mensuelles', 'revenu_fiscal', 'typologie_min', 'typologie_max', 'communes_souhaitees', 'pmr', 'handicap', 'dalo', 'prioritaire', 'mutation', 'relogement_anru', 'travailleur_essentiel'];

/**
 * The pool of the date and grid (vivier.ts): every active request scored, with the household's columns, one row per
 * distinct wished commune of `communes_souhaitees` as FILTRE reads it (spaces removed, split on |; SANS_SOUHAIT for no
 * wish), sorted by commune then ranking order. Empty items (and a literal SANS_SOUHAIT) match no dwelling, in FILTRE as here.
 */
async function construireVivier(store: Store, ctx: Contexte, grille: Grille, table: string): Promise<void> {
  const plan = planCotation(grille, ctx.sql);
  await store.run(
    `CREATE TEMP TABLE ${ident(table)} AS
${avec(ctx, plan, '')}, v AS (
  SELECT n.nur, n.centiemes, CAST(n.centiemes AS DOUBLE) / 100 AS note, ${COLONNES_DEMANDE},
    CASE WHEN nullif(replace(coalesce(d.communes_souhaitees, ''), ' ', ''), '') IS NULL THEN ['${SANS_SOUHAIT}']
      ELSE list_distinct(list_filter(string_split(replace(d.communes_souhaitees, ' ', ''), '|'), c -> c NOT IN ('', '${SANS_SOUHAIT}'))) END AS _communes
  FROM ${plan.notes} n JOIN demandes d ON d.nur = n.nur
)
SELECT unnest(_communes) AS code_insee, v.* EXCLUDE (_communes) FROM v
ORDER BY code_insee, centiemes DESC, date_depot, nur`,
    ctx.parametres,
  );
}

/** The fitting rows of the pool: those of the dwelling's commune and those without a wish, then typology and PMR. */
async function lireDansLeVivier(
  store: Store,
  ctx: Contexte,
  grille: Grille,
  valeurs: { caleol_pieces: number; caleol_insee: string; caleol_pmr: boolean },
  limite: number | null,
): Promise<LigneDemande[]> {
  const cle = JSON.stringify([ctx.date, ctx.config, ctx.sql.seuils.map((s) => [s.annee, s.codeEpci, String(s.seuilQ1)]), grille, await etatDesDonnees(store)]);
  return avecVivier(
    store,
    cle,
    (table) => construireVivier(store, ctx, grille, table),
    (table) => {
      // Two equalities (not IN, not OR): each is a zone-map filter, so only the commune's row groups are read.
      const ajuste = `(typologie_min IS NULL OR typologie_min <= $caleol_pieces) AND (typologie_max IS NULL OR typologie_max >= $caleol_pieces) AND (NOT pmr OR $caleol_pmr)`;
      return store.all<LigneDemande>(
        // The total is counted apart on the narrow columns: a window count over the rows would keep every fitting row
        // with all its columns (140 000 rows for a Paris dwelling), where the ordered LIMIT keeps only a page.
        `WITH f AS (
  SELECT ${COLONNES_VIVIER.join(', ')}, centiemes FROM ${ident(table)} WHERE code_insee = $caleol_insee AND ${ajuste}
  UNION ALL
  SELECT ${COLONNES_VIVIER.join(', ')}, centiemes FROM ${ident(table)} WHERE code_insee = '${SANS_SOUHAIT}' AND ${ajuste}
)
SELECT ${COLONNES_VIVIER.join(', ')},
  CAST((SELECT count(*) FROM ${ident(table)} WHERE code_insee = $caleol_insee AND ${ajuste})
    + (SELECT count(*) FROM ${ident(table)} WHERE code_insee = '${SANS_SOUHAIT}' AND ${ajuste}) AS INTEGER) AS total
FROM f
ORDER BY centiemes DESC, date_depot, nur${limite === null ? '' : ` LIMIT ${limite}`}`,
        valeurs,
      );
    },
  );
}

const nombre = (v: string | null): number | null => {
  if (v === null) return null;
  const t = v.trim().replace(/\s/g, '').replace(',', '.');
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : null;
};

function versDemande(r: LigneDemande): DemandeCaleol {
  return {
    nur: r.nur,
    date_depot: r.date_depot,
    date_radiation: r.date_radiation,
    nb_personnes: r.nb_personnes,
    nb_moins_14_ans: r.nb_moins_14_ans,
    composition: r.composition as Composition | null,
    ressources_mensuelles: r.ressources_mensuelles,
    revenu_fiscal: nombre(r.revenu_fiscal),
    typologie_min: r.typologie_min,
    typologie_max: r.typologie_max,
    communes_souhaitees: (r.communes_souhaitees ?? '').split('|').map((c) => c.trim()).filter((c) => c !== ''),
    pmr: r.pmr,
    handicap: r.handicap,
    dalo: r.dalo,
    prioritaire: r.prioritaire,
    mutation: r.mutation,
    relogement_anru: r.relogement_anru,
    travailleur_essentiel: r.travailleur_essentiel,
    note: r.note,
  };
}

export async function listeCaleol(store: Store, options: OptionsListe): Promise<ResultatListe> {
  const config = options.config ?? (await configurationCourante(store));
  const parametres = parametresCaleol(config.caleol, options.nombre);
  if (options.nombre !== undefined && (!Number.isInteger(options.nombre) || options.nombre < 1 || options.nombre > 10)) {
    throw new RequeteInvalideError(`nombre de candidats invalide (${options.nombre}) : de 1 à 10`);
  }
  const logement = await logementCaleol(store, options.logement, config, parametres);
  const ctxCotation = await contexte(store, { ...(options.date === undefined ? {} : { date: options.date }), config }, [options.grille]);
  const date = ctxCotation.date;
  await verifierDateCaleol(store, date);
  const annee = Number(date.slice(0, 4));

  // The Q1 threshold of the dwelling's EPCI for the year (the territory's when the arrêté has none for it): those the
  // grid already read when it reads Q1, else the year's alone (limites.ts; a pass over the demand only when unpublished).
  const seuils = (ctxCotation.sql.seuils.length > 0 ? ctxCotation.sql.seuils : (await seuilsQ1DesAnnees(store, config, [annee])).parEpci).filter((s) => s.annee === annee);
  const propre = seuils.find((s) => s.codeEpci === (logement.code_epci ?? ''));
  const cents = propre?.seuilQ1 ?? seuils.find((s) => s.codeEpci === '')?.seuilQ1 ?? null;
  const seuilQ1 = cents === null ? null : Number(cents) / 100;

  let bareme = null;
  try {
    bareme = baremeApplicable(date, parametresParc(config.parc).baremes_apl);
  } catch (e) {
    // No APL table for the date: the effort rate is not checked (said per candidate), the list is still made.
    if (!(e instanceof RequeteInvalideError)) throw e;
  }
  const regles: ContexteCaleol = { date, seuil_q1: seuilQ1, poids: config.uc, bareme, parametres };

  const valeurs = { caleol_pieces: logement.nb_pieces, caleol_insee: logement.code_insee, caleol_pmr: logement.pmr };
  const lire = options.vivier
    ? (limite: number | null) => lireDansLeVivier(store, ctxCotation, options.grille, valeurs, limite)
    : (limite: number | null) => {
        const plan = planCotation(options.grille, { ...ctxCotation.sql, filtreDemandes: FILTRE });
        return store.all<LigneDemande>(
          `${avec(ctxCotation, plan, '')}SELECT n.nur, CAST(n.centiemes AS DOUBLE) / 100 AS note, ${COLONNES_DEMANDE},
        CAST(count(*) OVER () AS INTEGER) AS total
      FROM ${plan.notes} n JOIN demandes d ON d.nur = n.nur
      ORDER BY n.centiemes DESC, d.date_depot, n.nur${limite === null ? '' : ` LIMIT ${limite}`}`,
          valeurs,
        );
      };
  let lignes = await lire(PAGE);
  let liste = composerListe(lignes.map(versDemande), logement, regles);
  const total = lignes[0]?.total ?? 0;
  // The page decides the list when it is full and every rule is met; else a better candidate may lie further down.
  if (total > lignes.length && (liste.candidats.length < parametres.nombre_candidats || liste.regles.some((r) => !r.respectee))) {
    lignes = await lire(null);
    liste = composerListe(lignes.map(versDemande), logement, regles);
  }
  // Examined: every fitting request; eligible: among the rows read (all of them when the page did not decide).
  liste = { ...liste, examinees: total };
  return {
    date,
    logement,
    grille: { nom: options.grille.nom, version: options.grille.version },
    seuil_q1: seuilQ1,
    bareme_apl: bareme?.debut ?? null,
    parametres,
    liste,
    lues: lignes.length,
  };
}

/** The fragility class of one residence at its latest survey of the year or before (parc's rule), null when unknown. */
export async function classeResidence(store: Store, residenceId: string, annee: number, config: CiaConfig): Promise<string | null> {
  const f = parametresParc(config.parc).fragilite;
  const [r] = await store.all<{ classe: string | null }>(sql`
    SELECT ${sql.raw(classeFragiliteSql(`o.${ident(f.indicateur)}`, 'o.menages', f))} AS classe
    FROM occupation o WHERE o.residence_id = ${residenceId} AND o.annee <= ${annee} ORDER BY o.annee DESC LIMIT 1`);
  return r?.classe ?? null;
}
