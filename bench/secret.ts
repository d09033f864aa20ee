/**
 * Disclosure-control benchmark (issue 12): the one secrecy pass (core secret.ts, through data publierLesAnnees) over
 * every indicator, perimeter and period of a year of the demo territory (idf by default), then over two years
 * together as the bilan publishes them; target under 5 s for one year. Measured in the same run, on the same rows:
 * - baseline: the primary masking alone (a plain map over the rows, 0 < count < seuil), what reading the rows costs;
 * - the exact audit of the published rows (auditerSecret: rational elimination over all the systems), which proves
 *   at this scale that no masked count is determined by the published ones (the pass runs it itself up to
 *   `auditJusqua` masked counts per system).
 *
 *   nice npx tsx bench/secret.ts [--echelle idf] [--annee 2024] [--essais 3] [--seuil 11] [--base FICHIER.duckdb] [--garder FICHIER.duckdb] [--complet]
 *
 * The recoverable cells the audit finds are listed on stderr with their value (a zero reveals no household).
 * --complet also runs the pass with the exact audit on every system whatever its size (did not finish in 8 min at
 * IDF scale before the audit was split by connected component).
 *
 * Generates and imports the demo territory into a temporary folder unless --base names an imported store.
 * A benchmark, not a test: nothing fails on a slow machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { IndicatorResults, PublishedIndicatorRow } from '@mixite/core';
import { appliquerSecret, auditerSecret, optionsDuSecret } from '@mixite/core';
import { Store, calculerIndicateurs, importDataset, publierLesAnnees } from '@mixite/data';
import type { Echelle } from '@mixite/demo';
import { generateDemo } from '@mixite/demo';
import { describeMachine, median, seconds, timed } from './machine.ts';

const { values } = parseArgs({
  options: {
    echelle: { type: 'string', default: 'idf' },
    annee: { type: 'string', default: '2024' },
    essais: { type: 'string', default: '3' },
    seuil: { type: 'string', default: '11' },
    base: { type: 'string' },
    garder: { type: 'string' },
    complet: { type: 'boolean', default: false },
  },
});
const annee = Number(values.annee);
const essais = Math.max(1, Number(values.essais));
const seuil = Number(values.seuil);
const dossier = mkdtempSync(join(tmpdir(), 'mixite-bench-secret-'));

try {
  let base = values.base;
  if (!base) {
    const jeu = join(dossier, 'jeu');
    const gen = await timed(() => generateDemo({ out: jeu, echelle: values.echelle as Echelle, graine: 1 }));
    console.error(`démo ${values.echelle} générée en ${seconds(gen.ms)}`);
    base = values.garder ?? join(dossier, 'base.duckdb');
    const store = await Store.open(base);
    const imp = await timed(() => importDataset(store, [jeu]));
    store.close();
    console.error(`importée en ${seconds(imp.ms)}`);
  }
  const store = await Store.open(base);
  const moteur = await timed(() => calculerIndicateurs(store, { annee }));
  const precedente = await calculerIndicateurs(store, { annee: annee - 1 });
  store.close();
  const resultats: IndicatorResults = moteur.result;
  console.error(`moteur ${annee} en ${seconds(moteur.ms)} : ${resultats.indicateurs.length} lignes`);

  const primaire: number[] = [];
  const unAn: number[] = [];
  const deuxAns: number[] = [];
  let publies: PublishedIndicatorRow[] = [];
  let publiesDeux: PublishedIndicatorRow[] = [];
  for (let i = 0; i <= essais; i++) {
    const p = await timed(async () => resultats.indicateurs.map((r) => ({ ...r, masque: (r.numerateur > 0 && r.numerateur < seuil) || (r.denominateur > 0 && r.denominateur < seuil) })));
    const a = await timed(async () => publierLesAnnees([resultats], 'public', seuil).get(annee) ?? []);
    const b = await timed(async () => [...publierLesAnnees([precedente, resultats], 'public', seuil).values()].flat());
    // The first round warms the JIT: not counted.
    if (i > 0) {
      primaire.push(p.ms);
      unAn.push(a.ms);
      deuxAns.push(b.ms);
    }
    publies = a.result;
    publiesDeux = b.result;
  }
  // The audit knows what the pass knows (contingent types, QPVs in their commune, sectors out of QPV, where the
  // allocations lie: leak (d)).
  const contexte = optionsDuSecret([precedente.contexte, resultats.contexte]);
  const audit = await timed(async () => auditerSecret(publiesDeux, contexte));
  // What the recoverable cells hold (a zero reveals no household), from the engine's rows.
  const brut = new Map([...precedente.indicateurs, ...resultats.indicateurs].map((r) => [`${r.indicateur}|${r.perimetre_type}|${r.perimetre_id}|${r.periode}`, r]));
  const valeurs = audit.result.map((f) => {
    const r = brut.get(`${f.indicateur}|${f.perimetre_type}|${f.perimetre_id}|${f.periode}`);
    return f.valeur === 'numerateur' ? r?.numerateur : f.valeur === 'denominateur' ? r?.denominateur : undefined;
  });
  const nonNuls = valeurs.filter((v) => v !== 0).length;
  audit.result.forEach((f, i) => console.error(`recalculable : ${f.indicateur} ${f.perimetre_type} ${f.perimetre_id} ${f.periode} ${f.valeur} = ${valeurs[i] ?? '?'}`));
  // The same pass with the exact audit on every system whatever its size (no `auditJusqua` limit), once.
  const complet = values.complet
    ? await timed(async () => appliquerSecret([...precedente.indicateurs, ...resultats.indicateurs], { seuil, ...contexte, auditJusqua: Number.POSITIVE_INFINITY }))
    : null;
  const auditComplet = complet ? auditerSecret(complet.result, contexte) : null;
  const masques = (rows: readonly PublishedIndicatorRow[]) => rows.filter((r) => r.secret !== null).length;

  console.log(`Machine : ${describeMachine()} ; médianes de ${essais} essais après un essai de chauffe ; seuil ${seuil}.`);
  console.log('');
  console.log('| échelle | publication | lignes | lignes masquées | passe du secret | masquage primaire seul (base) | audit exact des lignes publiées | cases recalculables (dont non nulles) |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  const n = (x: number) => x.toLocaleString('fr-FR');
  console.log(`| ${values.echelle} | ${annee} (toutes périodes et tous périmètres) | ${n(publies.length)} | ${n(masques(publies))} | ${seconds(median(unAn))} | ${seconds(median(primaire))} | — | — |`);
  console.log(
    `| ${values.echelle} | ${annee - 1} et ${annee} ensemble (comme le bilan) | ${n(publiesDeux.length)} | ${n(masques(publiesDeux))} | ${seconds(median(deuxAns))} | — | ${seconds(audit.ms)} | ${n(audit.result.length)} (${n(nonNuls)}) |`,
  );
  if (complet && auditComplet)
    console.log(
      `| ${values.echelle} | ${annee - 1} et ${annee}, audit exact sans limite de taille | ${n(complet.result.length)} | ${n(masques(complet.result))} | ${seconds(complet.ms)} | — | — | ${n(auditComplet.length)} |`,
    );
  console.log('');
  console.log(`Moteur d’indicateurs de l’année (pour comparaison) : ${seconds(moteur.ms)}.`);
} finally {
  rmSync(dossier, { recursive: true, force: true });
}
