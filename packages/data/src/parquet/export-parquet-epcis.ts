import { DonneesInvalidesError } from '@mixite/core';
import { epcisDesCommunes } from '../indicators/index.ts';
import type { Store } from '../store/store.ts';
import { ident } from '../store/sql-types.ts';
import type { TableObservatoire } from './disposition.ts';
import { ANNEE_DES_TABLES, SIREN } from './disposition.ts';
import type { SelectionPartitionnee } from './export-parquet.ts';
import { ecrirePartitions } from './export-parquet.ts';
import type { FaitsEcrits } from './faits-parquet.ts';
import { ecrireFaits } from './faits-parquet.ts';

/**
 * `mixite exporter --format parquet --par-epci` (issue 18, item 5): a base of MANY EPCIs (a département, a region, the
 * national demo) filed as an observer would hold it — one partition per EPCI of its communes, each as that EPCI's own
 * export would be (its communes, its dwellings, its allocations, its requests, the referentials it uses, the
 * thresholds that apply to it, the settings). Which rows an EPCI holds:
 * - communes by their `code_epci`; qpv, residences, logements by their commune; occupation by its residence;
 * - attributions by the commune of the dwelling (the allocation's own code_insee, else the dwelling's);
 * - demandes: every EPCI of a wished commune (`communes_souhaitees`: an EPCI's extract of the SNE holds the requests
 *   that wish one of its communes) and every EPCI where the request got an allocation; a request with neither goes
 *   to the EPCI of its commune of residence. A request may so be in several EPCIs, as in their own extracts;
 * - bailleurs and réservataires: in every EPCI whose rows name them (réservataires with a commune: also its EPCI);
 * - seuils: the EPCI's own rows and the general ones (no code_epci); conventions: every EPCI with a commune in the
 *   département of the row (no département: the EPCIs of the bailleur's dwellings);
 * - configuration: the base's, in every EPCI, its `code_epci` set to that EPCI.
 * Rows whose commune has no EPCI are in no partition (the command says how many communes).
 * Written in the grouped layout (disposition.ts: `table/[annee=AAAA/]data_0.parquet`, `epci` a column, rows ordered by
 * it): one folder per EPCI and year was 44 771 files at national scale, and opening them alone exceeded the 10 s budget
 * of the one pass (docs/BENCHMARKS.md). The reader takes both layouts, side by side.
 */

export interface ExportParquetEpcis {
  /** The EPCIs written, in code order. */
  readonly epcis: readonly string[];
  /** Rows written per table (a request in two EPCIs counts twice). */
  readonly lignes: Readonly<Record<TableObservatoire, number>>;
  /** Communes without an EPCI: their rows are in no partition. */
  readonly communesSansEpci: number;
  /** The facts written beside the tables (faits-parquet.ts); none with `{ faits: false }`. */
  readonly faits: FaitsEcrits | null;
}

/** The EPCI of each dwelling, residence and allocation, as CTE text shared by the selections. */
const LOGEMENTS_EPCI = `SELECT l.id, l.bailleur_id, l.contingent, c.code_epci AS epci FROM logements l JOIN communes c ON c.code_insee = l.code_insee WHERE c.code_epci IS NOT NULL`;
const ATTRIBUTIONS_EPCI = `SELECT a.id, a.nur, coalesce(a.bailleur_id, l.bailleur_id) AS bailleur_id, coalesce(a.contingent, l.contingent) AS contingent, c.code_epci AS epci
  FROM attributions a LEFT JOIN logements l ON l.id = a.logement_id JOIN communes c ON c.code_insee = coalesce(a.code_insee, l.code_insee) WHERE c.code_epci IS NOT NULL`;
const RESIDENCES_EPCI = `SELECT r.id, r.bailleur_id, c.code_epci AS epci FROM residences r JOIN communes c ON c.code_insee = r.code_insee WHERE c.code_epci IS NOT NULL`;
const EPCIS = `SELECT DISTINCT code_epci AS epci FROM communes WHERE code_epci IS NOT NULL`;

/** The rows of a table with the EPCI(s) they belong to (see above); `t` is the table's alias. */
function lignesAvecEpci(table: TableObservatoire): string {
  const parCommune = (colonne: string) => `SELECT t.*, c.code_epci AS epci FROM ${ident(table)} t JOIN communes c ON c.code_insee = t.${colonne} WHERE c.code_epci IS NOT NULL`;
  switch (table) {
    case 'communes':
      return `SELECT t.*, t.code_epci AS epci FROM communes t WHERE t.code_epci IS NOT NULL`;
    case 'qpv':
    case 'residences':
    case 'logements':
      return parCommune('code_insee');
    case 'occupation':
      return `SELECT t.*, r.epci FROM occupation t JOIN (${RESIDENCES_EPCI}) r ON r.id = t.residence_id`;
    case 'attributions':
      return `SELECT t.*, e.epci FROM attributions t JOIN (${ATTRIBUTIONS_EPCI}) e ON e.id = t.id`;
    case 'demandes':
      return `WITH souhaits AS (
  SELECT s.nur, c.code_epci AS epci
  FROM (SELECT nur, unnest(string_split(replace(coalesce(communes_souhaitees, ''), ' ', ''), '|')) AS code_insee FROM demandes) s
  JOIN communes c ON c.code_insee = s.code_insee WHERE c.code_epci IS NOT NULL
  UNION
  SELECT nur, epci FROM (${ATTRIBUTIONS_EPCI}) WHERE nur IS NOT NULL
),
repli AS (
  SELECT d.nur, c.code_epci AS epci FROM demandes d JOIN communes c ON c.code_insee = d.code_insee_residence
  WHERE c.code_epci IS NOT NULL AND d.nur NOT IN (SELECT nur FROM souhaits)
)
SELECT t.*, e.epci FROM demandes t JOIN (SELECT * FROM souhaits UNION ALL SELECT * FROM repli) e ON e.nur = t.nur`;
    case 'bailleurs':
      return `SELECT t.*, e.epci FROM bailleurs t JOIN (
  SELECT DISTINCT bailleur_id, epci FROM (SELECT bailleur_id, epci FROM (${LOGEMENTS_EPCI}) UNION ALL SELECT bailleur_id, epci FROM (${RESIDENCES_EPCI})
    UNION ALL SELECT bailleur_id, epci FROM (${ATTRIBUTIONS_EPCI}))
) e ON e.bailleur_id = t.id`;
    case 'reservataires':
      return `SELECT t.*, e.epci FROM reservataires t JOIN (
  SELECT DISTINCT reservataire_id, epci FROM (SELECT contingent AS reservataire_id, epci FROM (${LOGEMENTS_EPCI}) UNION ALL SELECT contingent, epci FROM (${ATTRIBUTIONS_EPCI})
    UNION ALL SELECT r.id, c.code_epci FROM reservataires r JOIN communes c ON c.code_insee = r.code_insee)
  WHERE reservataire_id IS NOT NULL AND epci IS NOT NULL
) e ON e.reservataire_id = t.id`;
    case 'seuils':
      return `SELECT t.*, e.epci FROM seuils t JOIN (${EPCIS}) e ON coalesce(t.code_epci, '') IN ('', e.epci)`;
    case 'conventions':
      return `SELECT t.*, e.epci FROM conventions t JOIN (
  SELECT DISTINCT code_epci AS epci, unnest([left(code_insee, 2), left(code_insee, 3)]) AS departement, NULL AS bailleur_id FROM communes WHERE code_epci IS NOT NULL
  UNION ALL SELECT DISTINCT epci, NULL, bailleur_id FROM (${LOGEMENTS_EPCI})
) e ON (t.departement IS NOT NULL AND e.departement = t.departement) OR (t.departement IS NULL AND e.bailleur_id = t.bailleur_id)`;
    case 'configuration':
      return `SELECT t.* REPLACE (json_merge_patch(t.contenu, json_object('code_epci', e.epci)) AS contenu), e.epci FROM configuration t CROSS JOIN (${EPCIS}) e`;
  }
}

function selection(table: TableObservatoire): SelectionPartitionnee {
  const annee = ANNEE_DES_TABLES[table];
  const lignes = lignesAvecEpci(table);
  // As the one-EPCI export writes them (export-parquet.ts): the settings' JSON as text, the year in the folder names.
  const colonnes = table === 'configuration' ? '* REPLACE (CAST(contenu AS VARCHAR) AS contenu)' : '*';
  switch (annee.genre) {
    case 'aucune':
      return { sql: `SELECT ${colonnes} FROM (${lignes})`, partitions: '' };
    case 'colonne':
      return { sql: `SELECT ${colonnes} FROM (${lignes})`, partitions: 'annee' };
    case 'date':
      return { sql: `SELECT ${colonnes}, year(${ident(annee.colonne)})::INTEGER AS annee FROM (${lignes})`, partitions: 'annee' };
  }
}

export async function exporterParquetParEpci(store: Store, dossier: string, options: { readonly faits?: boolean } = {}): Promise<ExportParquetEpcis> {
  const epcis = await epcisDesCommunes(store);
  if (epcis.length === 0) throw new DonneesInvalidesError('aucune commune de la base n’a d’EPCI (colonne code_epci de communes.csv) : rien à classer par EPCI.');
  const invalide = epcis.find((e) => !SIREN.test(e));
  if (invalide !== undefined) throw new DonneesInvalidesError(`communes : code_epci « ${invalide} » n’est pas un SIREN de 9 chiffres : il ne peut pas nommer une partition.`);
  const [sans] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM communes WHERE code_epci IS NULL`);
  const lignes = await ecrirePartitions(store, dossier, `.export-par-epci-${process.pid}`, selection, 'regroupee');
  // Each EPCI's facts, computed from its files just written: its own limits, as its own base would give them.
  const faits = options.faits === false ? null : await ecrireFaits(dossier);
  return { epcis, lignes, communesSansEpci: sans?.n ?? 0, faits };
}
