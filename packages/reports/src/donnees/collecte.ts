import type { CiaConfig, DemandeDeLAnnee, Edition, IndicatorResults, PublishedIndicatorRow, SecretDeLaDemande, TypeReservataire } from '@mixite/core';
import { epciDuTerritoire, isTypeContingent, nomDuTerritoire, secretDeLaDemande } from '@mixite/core';
import type { Store } from '@mixite/data';
import { anneesDuSecret, configurationCourante, publierLesAnneesHorsDuFil } from '@mixite/data';
import type { ContoursBilan } from './contours.ts';
import { lireContoursBilan } from './contours.ts';
import type { ProgrammeBilan } from '../contenu/programme.ts';
import type { SimulationBilan } from '../contenu/simulation.ts';
import { collecterProgramme } from '../contenu/programme.ts';
import { chiffresConserves } from './indicateurs-conserves.ts';

/**
 * Everything the bilan reads from the store, read once: the indicators of the year and of the years of the
 * trend (through the engine of packages/data, never recomputed here), their published (masked) version, the
 * names of the perimeters, the imports the data came from, and the configuration that applied.
 */

export interface DonneesAnnee {
  readonly annee: number;
  readonly resultats: IndicatorResults;
  /** The indicators as published in the edition: secrecy over all the years together (public), or none (partenaires). */
  readonly publies: readonly PublishedIndicatorRow[];
}

export interface SourceDonnees {
  /** Canonical table (`demandes`, `attributions`…). */
  readonly table: string;
  readonly fichier: string;
  readonly dateImport: string;
  readonly lignes: number | null;
  /** A date written in the file name (`extraction_sne_2024-12-31.csv`), when there is one. */
  readonly dateExtraction: string | null;
}

export interface Referentiel {
  readonly nomTerritoire: string;
  /** The EPCI whose thresholds and settings apply (cia.yaml, else the communes' only EPCI). */
  readonly codeEpci: string | null;
  /** How the territory is written in the text: its name, with the EPCI code when the store holds one EPCI. */
  readonly designation: string;
  readonly communes: ReadonlyMap<string, string>;
  readonly qpv: ReadonlyMap<string, { readonly nom: string; readonly commune: string | null; readonly assimile: boolean }>;
  readonly bailleurs: ReadonlyMap<string, string>;
  readonly reservataires: ReadonlyMap<string, { readonly nom: string; readonly type: TypeReservataire | null }>;
  readonly logements: { readonly total: number; readonly enQpv: number; readonly enSecteurAssimile: number };
}

export interface SeuilDeLAnnee {
  readonly annee: number;
  readonly codeEpci: string | null;
  readonly seuil: number;
  readonly source: string | null;
  /** Limits of the second and third quartiles when the arrêté publishes them (seuils.csv `seuil_q2`, `seuil_q3`). */
  readonly seuilQ2: number | null;
  readonly seuilQ3: number | null;
}

export interface BilanDonnees {
  readonly annee: number;
  /** Years of the trend, ascending, the year of the bilan last. */
  readonly annees: readonly number[];
  readonly parAnnee: ReadonlyMap<number, DonneesAnnee>;
  /**
   * The demand side as published: core's one secrecy of the demand (the API's too), over the same years as the API
   * (`anneesDuSecret`), so that the bilan and the web page print the same figure alike.
   */
  readonly secretDemande: SecretDeLaDemande;
  readonly configuration: CiaConfig;
  readonly referentiel: Referentiel;
  readonly sources: readonly SourceDonnees[];
  /** The latest date found in the requests and in the allocations (what the data cover). */
  readonly datesDonnees: { readonly demandes: string | null; readonly attributions: string | null };
  readonly seuils: readonly SeuilDeLAnnee[];
  /** The maps' outlines and residences (issue 14); absent from hand-built data. */
  readonly contours?: ContoursBilan;
  /** The action programme and its follow-up of the year (issue 19); absent or null without one. */
  readonly programme?: ProgrammeBilan | null;
  /** A simulation result chosen for the annex « Simulation des politiques d’attribution » (issue 16); absent: no annex. */
  readonly simulation?: SimulationBilan | null;
}

export interface ProgressionCollecte {
  (etape: string, fait: number, total: number): void;
}

/**
 * Reads the store. `profondeur` is the number of years of the trend (the year included), cut to the years
 * from the first allocation of the store: each year is one run of the engine.
 */
export async function collecterDonnees(store: Store, annee: number, profondeur: number, progression: ProgressionCollecte, edition: Edition = 'public'): Promise<BilanDonnees> {
  const configuration = await configurationCourante(store);
  const [bornes] = await store.all<{ premiere: number | null }>(`SELECT min(year(date_cal))::INTEGER AS premiere FROM attributions`);
  const premiere = Math.min(bornes?.premiere ?? annee, annee);
  const annees: number[] = [];
  for (let a = Math.max(annee - profondeur + 1, premiere); a <= annee; a++) annees.push(a);

  const parAnnee = new Map<number, DonneesAnnee>();
  // The figures kept in the store (issue 18, warm start) when they are those of its data and settings now, else
  // the engine's: one fingerprint for every year of the bilan.
  const { indicateurs, publies: publiesConservees } = await chiffresConserves(store, configuration);
  // The year of the bilan first: its figures are the core of the document, the others only its trend.
  const ordre = [annee, ...annees.filter((a) => a !== annee).reverse()];
  for (const [i, a] of ordre.entries()) {
    progression(`Calcul des indicateurs ${a}`, i, ordre.length);
    const resultats = await indicateurs(a);
    parAnnee.set(a, { annee: a, resultats, publies: [] });
  }
  // The demand of the years masked together with the trend's (the API's years), computed only for that.
  const demandes: DemandeDeLAnnee[] = [];
  const tous: IndicatorResults[] = [];
  const anneesDuSecretDuBilan = [...new Set([...(await anneesDuSecret(store, annee)), ...annees])].sort((x, y) => x - y);
  for (const a of anneesDuSecretDuBilan) {
    let resultats = parAnnee.get(a)?.resultats;
    if (!resultats) {
      progression(`Calcul de la demande ${a}`, ordre.length, ordre.length);
      resultats = await indicateurs(a);
    }
    demandes.push({ annee: a, demande: resultats.demande, limites: resultats.limites });
    tous.push(resultats);
  }
  // The indicators of all those years masked together (issue 12: the twelve months to 30 June tie two years), or
  // none masked in the partners' edition; the demand alike.
  // In a worker thread: the server that produces a bilan keeps answering its other users meanwhile — and the store
  // is read meanwhile (referentials, sources, outlines, programme): the pass is the longest step of the figures.
  // The public edition's rows the warm start kept for these years under the same fingerprint (issue 18) are those
  // of this pass: read, not computed again.
  const conservees = edition === 'public' ? await publiesConservees(anneesDuSecretDuBilan, annees) : null;
  const secret = conservees ? Promise.resolve(conservees) : publierLesAnneesHorsDuFil(tous, edition);
  secret.catch(() => undefined); // awaited below; this only keeps a failure from going unhandled meanwhile
  progression('Lecture des référentiels et des sources', ordre.length, ordre.length);
  const lectures = {
    referentiel: await lireReferentiel(store, configuration),
    sources: await lireSources(store),
    datesDonnees: await lireDates(store),
    contours: await lireContoursBilan(store, annee),
    programme: await collecterProgramme(store, annee),
    seuils: await lireSeuils(store),
  };
  const publies = await secret;
  for (const [a, d] of parAnnee) parAnnee.set(a, { ...d, publies: publies.get(a) ?? [] });
  const secretDemande = secretDeLaDemande(demandes, edition === 'partenaires' ? 0 : configuration.secret_statistique);
  // The quartile limits the bilan prints are the published ones too (computed from fewer requests than the secrecy
  // threshold: masked), whichever section prints them.
  for (const [a, d] of parAnnee) parAnnee.set(a, { ...d, resultats: { ...d.resultats, limites: secretDemande.annee(a).limites } });
  return { annee, annees, parAnnee, secretDemande, configuration, ...lectures };
}

async function lireSeuils(store: Store): Promise<SeuilDeLAnnee[]> {
  const rows = await store.all<{ annee: number; code_epci: string | null; seuil_q1: string; seuil_q2: string | null; seuil_q3: string | null; source: string | null }>(
    `SELECT annee, code_epci, CAST(seuil_q1 AS VARCHAR) AS seuil_q1, CAST(seuil_q2 AS VARCHAR) AS seuil_q2, CAST(seuil_q3 AS VARCHAR) AS seuil_q3, source
     FROM seuils ORDER BY annee, code_epci NULLS FIRST`,
  );
  return rows.map((s) => ({
    annee: s.annee,
    codeEpci: s.code_epci || null,
    seuil: Number(s.seuil_q1),
    source: s.source,
    seuilQ2: s.seuil_q2 === null ? null : Number(s.seuil_q2),
    seuilQ3: s.seuil_q3 === null ? null : Number(s.seuil_q3),
  }));
}

async function lireReferentiel(store: Store, configuration: CiaConfig): Promise<Referentiel> {
  const communes = await store.all<{ code_insee: string; nom: string; code_epci: string | null; nom_epci: string | null }>(
    `SELECT code_insee, nom, code_epci, nom_epci FROM communes ORDER BY code_insee`,
  );
  const epcis = [...new Set(communes.map((c) => c.code_epci).filter((c): c is string => c !== null))];
  const codeEpci = epciDuTerritoire(configuration.code_epci, epcis);
  const nomEpci = communes.find((c) => c.code_epci === codeEpci && c.nom_epci)?.nom_epci ?? null;
  const qpv = await store.all<{ code_qpv: string; nom: string; code_insee: string | null; assimile: boolean | null }>(
    `SELECT code_qpv, nom, code_insee, assimile FROM qpv ORDER BY code_qpv`,
  );
  const bailleurs = await store.all<{ id: string; nom: string }>(`SELECT id, nom FROM bailleurs ORDER BY id`);
  const reservataires = await store.all<{ id: string; nom: string; type: string }>(`SELECT id, nom, type FROM reservataires ORDER BY id`);
  const [logements] = await store.all<{ total: number; en_qpv: number; assimiles: number }>(
    `SELECT count(*)::INTEGER AS total,
       count(*) FILTER (WHERE l.code_qpv IS NOT NULL AND NOT coalesce(q.assimile, false))::INTEGER AS en_qpv,
       count(*) FILTER (WHERE coalesce(q.assimile, false))::INTEGER AS assimiles
     FROM logements l LEFT JOIN qpv q ON q.code_qpv = l.code_qpv`,
  );
  return {
    nomTerritoire: nomDuTerritoire({ epcis: epcis.length, communes: communes.length, nomEpci, codeEpci }),
    designation: `${nomDuTerritoire({ epcis: epcis.length, communes: communes.length, nomEpci, codeEpci })}${codeEpci && nomEpci && epcis.length <= 1 ? ` (EPCI ${codeEpci})` : ''}`,
    codeEpci,
    communes: new Map(communes.map((c) => [c.code_insee, c.nom])),
    qpv: new Map(qpv.map((q) => [q.code_qpv, { nom: q.nom, commune: q.code_insee, assimile: q.assimile === true }])),
    bailleurs: new Map(bailleurs.map((b) => [b.id, b.nom])),
    reservataires: new Map(
      reservataires.map((r) => [r.id, { nom: r.nom, type: isTypeContingent(r.type) && r.type !== 'non_reserve' ? r.type : null }]),
    ),
    logements: { total: logements?.total ?? 0, enQpv: logements?.en_qpv ?? 0, enSecteurAssimile: logements?.assimiles ?? 0 },
  };
}

interface RapportImport {
  readonly fichiers?: readonly { readonly fichier: string; readonly table: string; readonly lignesChargees?: number }[];
}

/** For each canonical table, the latest successful import that loaded it (an import replaces the tables it brings). */
async function lireSources(store: Store): Promise<SourceDonnees[]> {
  const imports = await store.all<{ date_import: string; rapport: string }>(
    `SELECT CAST(date_import AS VARCHAR) AS date_import, CAST(rapport AS VARCHAR) AS rapport FROM imports WHERE statut = 'reussi' ORDER BY id`,
  );
  const parTable = new Map<string, SourceDonnees>();
  for (const imp of imports) {
    let rapport: RapportImport;
    try {
      rapport = JSON.parse(imp.rapport) as RapportImport;
    } catch {
      continue;
    }
    for (const f of rapport.fichiers ?? []) {
      parTable.set(f.table, { table: f.table, fichier: f.fichier, dateImport: imp.date_import, lignes: f.lignesChargees ?? null, dateExtraction: dateDuNom(f.fichier) });
    }
  }
  return [...parTable.values()].sort((a, b) => a.table.localeCompare(b.table));
}

/** `extraction_sne_2024-12-31.csv`, `rpls_20240101.xlsx` → the ISO date; null when the name holds none. */
export function dateDuNom(fichier: string): string | null {
  const iso = /(\d{4})-(\d{2})-(\d{2})/.exec(fichier);
  const compact = /(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/.exec(fichier);
  const m = iso ?? compact;
  if (!m) return null;
  const [, y, mo, d] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return null;
  return `${y}-${mo}-${d}`;
}

async function lireDates(store: Store): Promise<BilanDonnees['datesDonnees']> {
  const [d] = await store.all<{ demandes: string | null }>(
    `SELECT CAST(greatest(max(date_depot), max(date_radiation)) AS VARCHAR) AS demandes FROM demandes`,
  );
  const [a] = await store.all<{ attributions: string | null }>(
    `SELECT CAST(greatest(max(date_cal), max(date_bail)) AS VARCHAR) AS attributions FROM attributions`,
  );
  return { demandes: d?.demandes ?? null, attributions: a?.attributions ?? null };
}
