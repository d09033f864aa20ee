import { join } from 'node:path';
import type { RoleArrete } from '@mixite/core/presets';
import { montantArrete, reconnaitreArrete, reconnaitreSeuilsPublies, restaurerZeros, sirenArrete } from '@mixite/core/presets';
import type { Store } from '../store/store.ts';
import { ident } from '../store/sql-types.ts';
import type { ImportProblem } from '../import/problems.ts';
import { problem } from '../import/problems.ts';
import { ecrireCsv } from './csv.ts';
import { LIGNE_SOURCE, cellule, lireSource, oublierSource } from './lecture.ts';
import type { Conversion } from './resultat.ts';

/**
 * Two presets that write `seuils.csv` (docs/presets.md):
 * - `arrete-q1`: the annex of a yearly arrêté (one line per EPCI: département, EPCI, SIREN headed « SIRET »,
 *   threshold; optional Q2, Q3), for the year given (`--annee`, or an `annee` column);
 * - `seuils-publies`: the thresholds shipped with the product (seuils/arretes-publies.csv, each line citing its
 *   arrêté), a line applying to the communes of its `departements`.
 * Only the lines of the territory are kept (its communes' EPCIs and départements, from the store's `communes`; all
 * lines when the store has none), and the thresholds of the other years already in the store are kept too: the
 * import replaces the seuils table. `seuil_q2` and `seuil_q3` are written when known: typed columns of the contract
 * (docs/format-donnees.md, store migration 12).
 */

export interface OptionsArrete {
  readonly dossier: string;
  readonly fichier: string;
  /** The arrêté's year, when the file has no `annee` column. */
  readonly annee: number | null;
}

type Ligne = { ligne: number } & Partial<Record<RoleArrete, string | null>>;
const COLONNES = ['annee', 'code_epci', 'seuil_q1', 'seuil_q2', 'seuil_q3', 'source'];

export async function convertirArrete(store: Store, chemin: string, o: OptionsArrete, publies: boolean): Promise<Conversion> {
  const lu = await lireSource(store, chemin, o.fichier, o.dossier);
  if (!lu.ok) return { fichiers: [], erreurs: lu.problemes, avertissements: [], lignesSource: 0 };
  const src = lu.source;
  const erreurs: ImportProblem[] = [];
  const erreur = (ligne: number | null, colonne: string | null, valeur: string | null, message: string) => erreurs.push(problem({ fichier: o.fichier, ligne, colonne, valeur, message }));
  try {
    const roles = publies ? reconnaitreSeuilsPublies(src.entetes) : reconnaitreArrete(src.entetes);
    if (!roles) {
      erreur(1, null, null, publies ? 'en-tête non reconnu : attendu annee;departements;code_epci;seuil_q1;seuil_q2;seuil_q3;source' : 'en-tête non reconnu comme l’annexe d’un arrêté des seuils : il faut une colonne de l’EPCI, son SIREN (« SIRET ») et le seuil');
      return { fichiers: [], erreurs, avertissements: [], lignesSource: src.lignes };
    }
    if (roles.annee === undefined && o.annee === null) {
      erreur(1, null, null, 'l’annexe ne dit pas l’année des seuils : indiquez-la avec --annee AAAA (l’année de l’arrêté)');
      return { fichiers: [], erreurs, avertissements: [], lignesSource: src.lignes };
    }
    const index = new Map(src.entetes.map((e, i) => [e, i]));
    const select = (Object.entries(roles) as [RoleArrete, string][]).map(([r, h]) => `${cellule(index.get(h) as number)} AS ${ident(r)}`).join(', ');
    const lignes = await store.all<Ligne>(`SELECT ${LIGNE_SOURCE} AS ligne, ${select} FROM ${ident(src.table)} ORDER BY ligne`);
    const communes = await store.all<{ code_insee: string; code_epci: string }>(`SELECT code_insee, code_epci FROM communes`);
    const epcis = new Set(communes.map((c) => c.code_epci));
    const departements = new Set(communes.map((c) => (c.code_insee.startsWith('97') ? c.code_insee.slice(0, 3) : c.code_insee.slice(0, 2))));
    const sorties: (string | number | null)[][] = [];
    for (const l of lignes) {
      const annee = l.annee != null ? Number(l.annee) : o.annee;
      if (annee === null || !Number.isInteger(annee) || annee < 2000 || annee > 2099) {
        erreur(l.ligne, roles.annee ?? null, l.annee ?? null, 'année illisible — attendu : AAAA entre 2000 et 2099');
        continue;
      }
      const seuils = (['seuil_q1', 'seuil_q2', 'seuil_q3'] as const).map((r) => {
        const brut = l[r] ?? null;
        if (brut === null) return null;
        const m = montantArrete(brut);
        if (m === null) erreur(l.ligne, roles[r] ?? r, brut, 'montant illisible — attendu : des euros par unité de consommation et par an (ex. 12 083 ou 12083,00)');
        return m;
      });
      if (l.seuil_q1 == null) {
        erreur(l.ligne, roles.seuil_q1 ?? 'seuil_q1', null, 'seuil du premier quartile absent');
        continue;
      }
      let siren: string | null = null;
      if (l.siren != null) {
        siren = sirenArrete(l.siren);
        if (siren === null) erreur(l.ligne, roles.siren ?? 'siren', l.siren, 'SIREN illisible — attendu : les 9 chiffres du SIREN de l’EPCI (ou un SIRET de 14 chiffres)');
      }
      const duTerritoire = publies
        ? (l.departements ?? '').split(/[\s,;]+/).some((d) => d !== '' && departements.has(restaurerZeros(d, 2)))
        : siren === null || epcis.has(siren);
      if (communes.length > 0 && !duTerritoire) continue;
      const source = publies ? (l.source ?? null) : `Arrêté ${annee}, annexe (${o.fichier}, ligne ${l.ligne})${l.epci ? ` : ${l.epci}` : ''}`;
      // In the shipped file, the `code_epci` column (read as the EPCI role) holds the SIREN itself, empty for a whole region.
      sorties.push([annee, publies ? (l.epci ?? null) : siren, ...seuils, source]);
    }
    if (erreurs.length > 0) return { fichiers: [], erreurs, avertissements: [], lignesSource: src.lignes };
    if (sorties.length === 0) {
      erreur(null, null, null, `aucune ligne ne concerne le territoire (EPCI ${[...epcis].join(', ')}, départements ${[...departements].sort().join(', ')})`);
      return { fichiers: [], erreurs, avertissements: [], lignesSource: src.lignes };
    }
    // The thresholds of the other years stay: an import replaces the whole table.
    const annees = new Set(sorties.map((s) => s[0]));
    const autres = await store.all<{ annee: number; code_epci: string | null; seuil_q1: number; q2: number | null; q3: number | null; source: string | null }>(
      `SELECT annee, code_epci, seuil_q1::DOUBLE AS seuil_q1, seuil_q2::DOUBLE AS q2, seuil_q3::DOUBLE AS q3, source FROM seuils ORDER BY annee, code_epci`,
    );
    const garder = autres.filter((a) => !annees.has(a.annee)).map((a) => [a.annee, a.code_epci, a.seuil_q1, a.q2, a.q3, a.source]);
    const sortie = join(o.dossier, 'seuils.csv');
    ecrireCsv(sortie, COLONNES, [...garder, ...sorties]);
    return { fichiers: [{ chemin: sortie, table: 'seuils', nomAffiche: `seuils.csv (depuis ${o.fichier})` }], erreurs, avertissements: [], lignesSource: src.lignes };
  } finally {
    await oublierSource(store, src.table);
  }
}
