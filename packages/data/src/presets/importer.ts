import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import type { Store } from '../store/store.ts';
import type { ImportOptions } from '../import/import-dataset.ts';
import { importDataset } from '../import/import-dataset.ts';
import type { FileName } from '@mixite/core';
import type { Mapping } from '../import/mapping.ts';
import { canonicalFileOf, loadMapping } from '../import/mapping.ts';
import type { ImportProblem, ImportReport } from '../import/problems.ts';
import { ImportFailedError, problem } from '../import/problems.ts';
import type { NomPreset } from './reconnaissance.ts';
import { PRESETS, reconnaitreFichier } from './reconnaissance.ts';
import type { Conversion } from './resultat.ts';
import { convertirArrete } from './arrete.ts';
import { convertirQpvListe } from './qpv.ts';
import { convertirContoursQpv } from './qpv-contours.ts';
import { convertirRpls } from './rpls.ts';

/**
 * `mixite import FICHIER --preset NOM` (docs/presets.md): each source file that is not already a canonical file
 * (`logements.csv`…) is converted by its preset into canonical files in a temporary folder, then the whole batch goes
 * through the ordinary import (all or nothing, every check, the store untouched on failure). The canonical import's
 * problems name the user's file (its line numbers are the source's: one canonical row per source row); the preset's
 * own problems name the source's columns. With preset `auto`, the preset is recognised from each file's header.
 */

export interface OptionsPreset extends ImportOptions {
  readonly preset: NomPreset | 'auto';
  /** RPLS: the bailleur of every dwelling (the open file has none). */
  readonly bailleur?: string | null;
  /** Arrêté annex: the year of its thresholds (the annex has no year column). */
  readonly annee?: number | null;
}

export async function importerAvecPreset(store: Store, sources: readonly string[], o: OptionsPreset): Promise<ImportReport> {
  const date = new Date().toISOString();
  const dossier = mkdtempSync(`${o.dossierTravail ?? tmpdir()}/mixite-preset-`);
  const noms = { ...(o.nomsAffiches ?? {}) };
  const erreurs: ImportProblem[] = [];
  const avertissements: ImportProblem[] = [];
  const chemins: string[] = [];
  /** What conversions keep in DuckDB for the import (the RPLS preset's converted table), dropped at the end. */
  const liberations: (() => Promise<void>)[] = [];
  /** Displayed file name → canonical column → the source's column: the import's problems name the user's columns. */
  const colonnesSource = new Map<string, Readonly<Record<string, string>>>();
  // The converted files keep the user's file name in every message: the import recognises them through a mapping
  // whose file patterns are those names (added to the user's own mapping, if any).
  const utilisateur = typeof o.correspondance === 'string' ? loadMapping(o.correspondance) : (o.correspondance ?? null);
  const correspondance: { nom: string; description?: string; fichiers: Partial<Record<FileName, { fichiers: string[]; colonnes: Record<string, string>; codes: Record<string, Record<string, string>> }>> } = {
    nom: utilisateur?.nom ?? `preset ${o.preset}`,
    fichiers: Object.fromEntries(Object.entries(utilisateur?.fichiers ?? {}).map(([k, v]) => [k, { fichiers: [...(v?.fichiers ?? [])], colonnes: { ...v?.colonnes }, codes: { ...v?.codes } }])),
  };
  try {
    let qpvDuLot: Set<string> | null = null;
    // Tables first, contours last: contours imported with a QPV list are those of the list's QPV.
    const ordre = [...sources].sort((a, b) => Number(a.toLowerCase().endsWith('.geojson')) - Number(b.toLowerCase().endsWith('.geojson')));
    for (const source of ordre) {
      const fichier = noms[source] ?? basename(source);
      const geojson = /\.geojson$/i.test(fichier);
      // A canonical file of the batch (bailleurs.csv beside an RPLS file, cia.yaml, a folder, contours already in the
      // product's form) is imported as it is.
      const attendu = o.preset === 'auto' ? reconnaitreFichierSiFichier(source) : o.preset;
      if (canonicalFileOf(fichier, null) !== null || !/\.(csv|txt|geojson)$/i.test(fichier) || (geojson && attendu !== 'qpv-contours')) {
        chemins.push(source);
        continue;
      }
      const preset = attendu;
      if (preset === null) {
        erreurs.push(problem({ fichier, ligne: 1, message: `en-tête reconnu par aucun preset (${Object.keys(PRESETS).join(', ')}) : nommez le preset avec --preset, ou le fichier d’après son contenu` }));
        continue;
      }
      const conversion = await convertir(store, preset, source, fichier, dossier, o, qpvDuLot);
      if (conversion.liberer) liberations.push(conversion.liberer);
      if (conversion.qpv) qpvDuLot = new Set([...(qpvDuLot ?? []), ...conversion.qpv]);
      erreurs.push(...conversion.erreurs);
      avertissements.push(...conversion.avertissements);
      for (const f of conversion.fichiers) {
        chemins.push(f.chemin);
        noms[f.chemin] = f.nomAffiche;
        if (f.colonnesSource) colonnesSource.set(f.nomAffiche, f.colonnesSource);
        if (f.table === 'contours') continue;
        const entree = (correspondance.fichiers[f.table] ??= { fichiers: [], colonnes: {}, codes: {} });
        entree.fichiers.push(f.nomAffiche.replaceAll('*', '?'));
      }
    }
    if (erreurs.length > 0) {
      throw new ImportFailedError({ statut: 'echoue', date, fichiers: [], erreurs, avertissements, erreursNonListees: 0, configuration: 'inchangee', importId: null, ...(o.auteur ? { auteur: o.auteur } : {}) });
    }
    try {
      const rapport = await importDataset(store, chemins, { ...o, nomsAffiches: noms, correspondance: correspondance as Mapping });
      return sourceDesColonnes({ ...rapport, avertissements: [...avertissements, ...rapport.avertissements] }, colonnesSource);
    } catch (error) {
      if (error instanceof ImportFailedError) {
        throw new ImportFailedError(sourceDesColonnes({ ...error.report, avertissements: [...avertissements, ...error.report.avertissements] }, colonnesSource));
      }
      throw error;
    }
  } finally {
    for (const liberer of liberations) await liberer();
    rmSync(dossier, { recursive: true, force: true });
  }
}

/** The report with each problem on a converted file naming the source's column (`SURFHAB`, not `surface`). */
function sourceDesColonnes(rapport: ImportReport, colonnes: ReadonlyMap<string, Readonly<Record<string, string>>>): ImportReport {
  if (colonnes.size === 0) return rapport;
  const renommer = <T extends { readonly fichier: string; readonly colonne: string | null }>(p: T): T => {
    const noms = colonnes.get(p.fichier);
    if (p.colonne === null || noms === undefined) return p;
    // A problem on several columns names them joined (« id + residence_id », « x, y »): each part is renamed.
    return { ...p, colonne: p.colonne.replace(/[^,+]+/g, (part) => part.replace(part.trim(), noms[part.trim()] ?? part.trim())) };
  };
  return {
    ...rapport,
    erreurs: rapport.erreurs.map(renommer),
    avertissements: rapport.avertissements.map(renommer),
    ...(rapport.causes === undefined ? {} : { causes: rapport.causes.map((c) => ({ ...renommer(c), exemples: c.exemples.map(renommer) })) }),
  };
}

function convertir(store: Store, preset: NomPreset, source: string, fichier: string, dossier: string, o: OptionsPreset, qpvDuLot: ReadonlySet<string> | null): Promise<Conversion> {
  switch (preset) {
    case 'rpls':
      return convertirRpls(store, source, { bailleur: o.bailleur ?? null, dossier, fichier, relation: true });
    case 'qpv':
      return convertirQpvListe(store, source, { dossier, fichier });
    case 'qpv-contours':
      return convertirContoursQpv(store, source, { dossier, fichier, qpvDuLot });
    case 'arrete-q1':
      return convertirArrete(store, source, { dossier, fichier, annee: o.annee ?? null }, false);
    case 'seuils-publies':
      return convertirArrete(store, source, { dossier, fichier, annee: null }, true);
  }
}

/** The recognised preset of a file, null for a folder or a file that cannot be read. */
function reconnaitreFichierSiFichier(chemin: string): NomPreset | null {
  try {
    return statSync(chemin).isFile() ? reconnaitreFichier(chemin) : null;
  } catch {
    return null;
  }
}
