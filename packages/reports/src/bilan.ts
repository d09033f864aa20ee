import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Edition } from '@mixite/core';
import { EDITION_PAR_DEFAUT } from '@mixite/core';
import type { Store } from '@mixite/data';
import { construireBilan } from './contenu/construire.ts';
import type { Graphique } from './contenu/modele.ts';
import { collecterDonnees } from './donnees/collecte.ts';
import { libellePerimetre } from './donnees/publies.ts';
import { ecrireDocx } from './rendu/docx.ts';
import { imprimerPdf } from './rendu/pdf.ts';
import { rasteriser } from './rendu/raster.ts';
import { ecrireXlsx } from './rendu/xlsx.ts';
import { marquerEdition, nomFichierBilan } from './secret/edition.ts';
import { PROFONDEUR_PAR_DEFAUT } from './profondeur.ts';
import type { SimulationBilan } from './contenu/simulation.ts';

export interface ProgressionBilan {
  readonly etape: string;
  readonly fait: number;
  readonly total: number;
}

export interface OptionsBilan {
  /** The calendar year of the bilan. */
  readonly annee: number;
  /** Folder where bilan-YYYY-<edition>.docx, .pdf and .xlsx are written (created if needed). */
  readonly out: string;
  /**
   * `public` (default): statistical secrecy over everything the three files publish together; `partenaires`: the
   * members of the CIL's edition, nothing masked, every table and page marked (core editions.ts).
   */
  readonly edition?: Edition;
  readonly onProgress?: (progression: ProgressionBilan) => void;
  /** Years of the trend, the year included (default 3: N−2 to N), cut to the years the store has allocations for. */
  readonly profondeur?: number;
  /** Date printed on the title page (default: now). */
  readonly dateProduction?: Date;
  /** A simulation result printed as the annex « Simulation des politiques d’attribution » (issue 16); absent: no annex. */
  readonly simulation?: SimulationBilan | null;
}

export interface FichiersBilan {
  readonly docx: string;
  readonly pdf: string;
  readonly xlsx: string;
}

export { PROFONDEUR_PAR_DEFAUT };

/**
 * Produces the annual bilan of the CIA for the CIL from the store: the same document as an editable Word file,
 * a PDF and an Excel workbook of every table, with statistical secrecy applied with the configured threshold.
 * Reads the store only (the engine's temporary tables aside); files are written under a temporary name and
 * renamed, so a reader never sees half a file.
 */
export async function produireBilan(store: Store, options: OptionsBilan): Promise<FichiersBilan> {
  const { annee, out } = options;
  if (!Number.isInteger(annee) || annee < 2001 || annee > 2099) throw new RangeError(`année invalide : ${annee}`);
  const profondeur = Math.max(1, Math.floor(options.profondeur ?? PROFONDEUR_PAR_DEFAUT));
  const progres = options.onProgress ?? (() => {});
  // Steps: one engine run per year of the trend, the reference data, the text, then the three files together.
  const total = profondeur + 3;
  let fait = 0;
  const etape = (nom: string) => progres({ etape: nom, fait: fait++, total });

  const edition = options.edition ?? EDITION_PAR_DEFAUT;
  const donnees = await collecterDonnees(store, annee, profondeur, (nom) => etape(nom), edition);
  fait = profondeur + 1;
  etape('Rédaction du bilan');
  const dateProduction = options.dateProduction ?? new Date();
  const document = marquerEdition(construireBilan(options.simulation ? { ...donnees, simulation: options.simulation } : donnees, dateProduction), edition, donnees.configuration.secret_statistique);
  const publies = donnees.parAnnee.get(annee)?.publies ?? [];
  mkdirSync(out, { recursive: true });
  const fichiers: FichiersBilan = {
    docx: join(out, nomFichierBilan(annee, edition, 'docx')),
    pdf: join(out, nomFichierBilan(annee, edition, 'pdf')),
    xlsx: join(out, nomFichierBilan(annee, edition, 'xlsx')),
  };

  // No browser (decision 0006), and the three files written at once from the one model: Typst typesets the PDF in
  // its worker thread and resvg draws the charts on the libuv thread pool while Node writes the workbook, then Word
  // once its charts are drawn. Nothing of one file waits for another (issue 18: the bilan under 5 s for an EPCI).
  etape('Classeur Excel, graphiques, documents Word et PDF');
  const graphiques = document.blocs.filter((b): b is Graphique => b.kind === 'graphique');
  await ensemble([
    // The partners' mark is in the title, so in both footers (every page).
    imprimerPdf(document, `${document.titre} · ${donnees.referentiel.nomTerritoire}`, dateProduction).then((b) => ecrire(fichiers.pdf, b)),
    rasteriser(graphiques)
      .then((png) => ecrireDocx(document, new Map(graphiques.map((g, i) => [g, png[i] as Buffer]))))
      .then((b) => ecrire(fichiers.docx, b)),
    ecrireXlsx(document, publies, (r) => libellePerimetre(donnees.referentiel, r.perimetre_type, r.perimetre_id), donnees.configuration.effectif_minimum).then((b) => ecrire(fichiers.xlsx, b)),
  ]);
  progres({ etape: 'Bilan produit', fait: total, total });
  return fichiers;
}

/** Like Promise.all, but waits for every task before failing: no file is still being written when the bilan fails. */
async function ensemble(taches: readonly Promise<void>[]): Promise<void> {
  const issues = await Promise.allSettled(taches);
  for (const issue of issues) if (issue.status === 'rejected') throw issue.reason;
}

/** Writes under a temporary name, then renames: a reader never sees half a file. */
function ecrire(chemin: string, contenu: Buffer): void {
  const temporaire = `${chemin}.${process.pid}.partiel`;
  try {
    writeFileSync(temporaire, contenu);
    renameSync(temporaire, chemin);
  } catch (error) {
    rmSync(temporaire, { force: true });
    throw error;
  }
}
