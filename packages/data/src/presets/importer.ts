import { mkdtempSync, rmSync } from 'node:fs';
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
}

export async function importerAvecPreset(store: Store, sources: readonly string[], o: OptionsPreset): Promise<ImportReport> {
  const date = new Date().toISOString();
  const dossier = mkdtempSync(`${o.dossierTravail ?? tmpdir()}/mixite-preset-`);
  const noms = { ...(o.nomsAffiches ?? {}) };
  const erreurs: ImportProblem[] = [];
  const avertissements: ImportProblem[] = [];
  const chemins: string[] = [];
  // The converted files keep the user's file name in every message: the import recognises them through a mapping
  // whose file patterns are those names (added to the user's own mapping, if any).
  const utilisateur = typeof o.correspondance === 'string' ? loadMapping(o.correspondance) : (o.correspondance ?? null);
  const correspondance: { nom: string; description?: string; fichiers: Partial<Record<FileName, { fichiers: string[]; colonnes: Record<string, string>; codes: Record<string, Record<string, string>> }>> } = {
    nom: utilisateur?.nom ?? `preset ${o.preset}`,
    fichiers: Object.fromEntries(Object.entries(utilisateur?.fichiers ?? {}).map(([k, v]) => [k, { fichiers: [...(v?.fichiers ?? [])], colonnes: { ...v?.colonnes }, codes: { ...v?.codes } }])),
  };
  try {
    for (const source of sources) {
      const fichier = noms[source] ?? basename(source);
      // A canonical file of the batch (bailleurs.csv beside an RPLS file, cia.yaml, a folder) is imported as it is.
      if (canonicalFileOf(fichier, null) !== null || !/\.(csv|txt)$/i.test(fichier)) {
        chemins.push(source);
        continue;
      }
      const preset = o.preset === 'auto' ? reconnaitreFichier(source) : o.preset;
      if (preset === null) {
        erreurs.push(problem({ fichier, ligne: 1, message: `en-tête reconnu par aucun preset (${Object.keys(PRESETS).join(', ')}) : nommez le preset avec --preset, ou le fichier d’après son contenu` }));
        continue;
      }
      const conversion = await convertir(store, preset, source, fichier, dossier, o);
      erreurs.push(...conversion.erreurs);
      avertissements.push(...conversion.avertissements);
      for (const f of conversion.fichiers) {
        chemins.push(f.chemin);
        noms[f.chemin] = f.nomAffiche;
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
      return { ...rapport, avertissements: [...avertissements, ...rapport.avertissements] };
    } catch (error) {
      if (error instanceof ImportFailedError) throw new ImportFailedError({ ...error.report, avertissements: [...avertissements, ...error.report.avertissements] });
      throw error;
    }
  } finally {
    rmSync(dossier, { recursive: true, force: true });
  }
}

function convertir(store: Store, preset: NomPreset, source: string, fichier: string, dossier: string, o: OptionsPreset): Promise<Conversion> {
  switch (preset) {
    case 'rpls':
      return convertirRpls(store, source, { bailleur: o.bailleur ?? null, dossier, fichier });
  }
}
