/**
 * Bilan benchmark (issues 5 and 18): the whole annual bilan of one year — the engine run for the year and the years
 * of the trend, the published (masked) indicators, the document, the Excel workbook, the charts drawn by resvg, the
 * PDF typeset by Typst, the Word document — written into a temporary folder, removed afterwards. No browser.
 * Targets (issue 18): under 5 s for an EPCI, under 15 s at Île-de-France scale, the three files.
 *
 * Baseline measured in the same run: the figures alone (collecterDonnees: the engine over every year of the trend,
 * what any bilan pays before writing a line), so the cost of writing the three files reads as the difference.
 *
 * Called by bench/run.ts; also runnable alone, on the demo territory it generates and imports, with the time of
 * each step (stderr) and a Markdown table (stdout):
 *   nice npx tsx bench/bilan.ts --echelle epci [--runs 3] [--annee 2024]
 *   nice npx tsx bench/bilan.ts --base FICHIER.duckdb [--runs 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Store, importDataset } from '@mixite/data';
import type { Echelle } from '@mixite/demo';
import { generateDemo } from '@mixite/demo';
import { produireBilan } from '@mixite/reports';
import { construireBilan } from '../packages/reports/src/contenu/construire.ts';
import type { Graphique } from '../packages/reports/src/contenu/modele.ts';
import { collecterDonnees } from '../packages/reports/src/donnees/collecte.ts';
import { libellePerimetre } from '../packages/reports/src/donnees/publies.ts';
import { ecrireDocx } from '../packages/reports/src/rendu/docx.ts';
import { imprimerPdf } from '../packages/reports/src/rendu/pdf.ts';
import { rasteriser } from '../packages/reports/src/rendu/raster.ts';
import { ecrireXlsx } from '../packages/reports/src/rendu/xlsx.ts';
import { describeMachine, median, seconds } from './machine.ts';

export async function benchBilan(store: Store, annee: number): Promise<{ ms: number }> {
  const out = mkdtempSync(join(tmpdir(), 'mixite-bench-bilan-'));
  try {
    const debut = performance.now();
    await produireBilan(store, { annee, out });
    return { ms: performance.now() - debut };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Each step apart, one after the other (the bilan itself runs the workbook beside the charts, and Word beside the PDF). */
export async function etapesBilan(store: Store, annee: number): Promise<Record<Etape, number>> {
  const ms: Partial<Record<Etape, number>> = {};
  const mesure = async <T>(etape: Etape, travail: () => Promise<T> | T): Promise<T> => {
    const debut = performance.now();
    const r = await travail();
    ms[etape] = performance.now() - debut;
    return r;
  };
  const donnees = await mesure('donnees', () => collecterDonnees(store, annee, 3, () => {}));
  const document = await mesure('modele', () => construireBilan(donnees, new Date()));
  const publies = donnees.parAnnee.get(annee)?.publies ?? [];
  await mesure('xlsx', () => ecrireXlsx(document, publies, (r) => libellePerimetre(donnees.referentiel, r.perimetre_type, r.perimetre_id), donnees.configuration.effectif_minimum));
  const graphiques = document.blocs.filter((b): b is Graphique => b.kind === 'graphique');
  const png = await mesure('graphiques', () => rasteriser(graphiques));
  await mesure('pdf', () => imprimerPdf(document, document.titre, new Date()));
  await mesure('docx', () => ecrireDocx(document, new Map(graphiques.map((g, i) => [g, png[i] as Buffer]))));
  return ms as Record<Etape, number>;
}

const ETAPES = {
  donnees: 'chiffres seuls (moteur, années de la tendance) : référence',
  modele: 'document (texte, tableaux, graphiques SVG)',
  xlsx: 'classeur Excel',
  graphiques: 'graphiques PNG (resvg)',
  pdf: 'PDF (Typst)',
  docx: 'Word',
} as const;
type Etape = keyof typeof ETAPES;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { base: { type: 'string' }, echelle: { type: 'string' }, annee: { type: 'string', default: '2024' }, runs: { type: 'string', default: '3' } },
  });
  if (!values.base === !values.echelle) throw new Error('indiquez --base FICHIER.duckdb ou --echelle epci|idf');
  const annee = Number(values.annee);
  const travail = mkdtempSync(join(tmpdir(), 'mixite-bench-bilan-'));
  try {
    let base = values.base;
    if (values.echelle) {
      const dir = join(travail, 'demo');
      await generateDemo({ out: dir, echelle: values.echelle as Echelle, graine: 1 });
      base = join(travail, 'demo.duckdb');
      const s = await Store.open(base);
      await importDataset(s, [dir]);
      s.close();
      rmSync(dir, { recursive: true, force: true });
    }
    const store = await Store.open(base as string);
    try {
      const totaux: number[] = [];
      const etapes: Record<Etape, number>[] = [];
      for (let i = 0; i < Math.max(1, Number(values.runs)); i++) {
        // Alternately, in the same process: the whole bilan, then its steps one by one.
        const r = await benchBilan(store, annee);
        totaux.push(r.ms);
        const e = await etapesBilan(store, annee);
        etapes.push(e);
        console.error(`bilan ${annee} : ${seconds(r.ms)} ; ${Object.entries(e).map(([k, v]) => `${k} ${seconds(v)}`).join(', ')}`);
      }
      const lignes = [
        `| bilan complet (trois fichiers, \`produireBilan\`) | ${seconds(median(totaux))} |`,
        ...Object.entries(ETAPES).map(([k, nom]) => `| ${nom} | ${seconds(median(etapes.map((e) => e[k as Etape])))} |`),
      ];
      // The machine may be shared: its load is part of the figures.
      const charge = loadavg()[0]?.toFixed(1) ?? '?';
      console.log(`Machine : ${describeMachine()}, charge moyenne (1 min) ${charge} à la fin. ${values.echelle ? `Démonstration « ${values.echelle} », graine 1` : base}, année ${annee}, médianes de ${totaux.length} essais.\n`);
      console.log('| étape | durée |\n| --- | --- |');
      console.log(lignes.join('\n'));
    } finally {
      store.close();
    }
  } finally {
    rmSync(travail, { recursive: true, force: true });
  }
}
