import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEGAL_INDICATORS } from '@mixite/core';
import { Store, importDataset } from '@mixite/data';
import { generateDemo } from '@mixite/demo';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { indicateursCommand } from '../../cli/src/commands/indicateurs.ts';
import { construireBilan } from '../src/contenu/construire.ts';
import type { Tableau } from '../src/contenu/modele.ts';
import { texteCellule } from '../src/contenu/modele.ts';
import { collecterDonnees } from '../src/donnees/collecte.ts';

/**
 * Issue 12, « done when »: on the demo territory, the bilan's count of partners behind each target equals the count
 * computed from `mixite indicateurs` for the same year. The expected counts are read from the command's CSV with
 * plain code (rows of the year with a target and `atteint` false), never with the lagging-list function.
 */
describe('the bilan’s lagging list on the demo territory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixite-retards-demo-'));
  const donnees = join(dir, 'jeu');
  let annee: number;
  let csv: Record<string, string>[];
  let synthese: Tableau;
  let tableaux: Tableau[];

  beforeAll(async () => {
    await generateDemo({ out: donnees, echelle: 'epci', graine: 1 });
    const store = await Store.open(':memory:');
    try {
      await importDataset(store, [donnees], { auteur: 'test' });
      annee = ((await store.all<{ a: number }>(`SELECT max(year(date_cal))::INTEGER AS a FROM attributions`))[0] as { a: number }).a;
      const bilan = construireBilan(await collecterDonnees(store, annee, 1, () => {}), new Date('2026-01-15T10:00:00Z'));
      tableaux = bilan.blocs.filter((b): b is Tableau => b.kind === 'tableau');
      synthese = tableaux.find((t) => t.id === 'retards-synthese') as Tableau;
    } finally {
      store.close();
    }
    // The command line, as other tools call it: the CSV of the year, unmasked (the partners' figures).
    const sortie = join(dir, 'indicateurs.csv');
    const erreurs = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await indicateursCommand(['--data', donnees, '--annee', String(annee), '--out', sortie])).toBe(0);
    } finally {
      erreurs.mockRestore();
    }
    const [entete, ...lignes] = readFileSync(sortie, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    const colonnes = (entete as string).split(',');
    // No field of indicateurs.csv holds a comma (ids, codes, numbers with a decimal point).
    csv = lignes.map((l) => Object.fromEntries(l.split(',').map((v, i) => [colonnes[i] as string, v])));
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Rows of the CSV for the year, a target and a denominator, of an indicator and a perimeter type. */
  const avecCible = (indicateur: string, type: string) =>
    csv.filter((r) => r['indicateur'] === indicateur && r['perimetre_type'] === type && r['periode'] === String(annee) && r['cible'] !== '' && Number(r['denominateur']) > 0);
  /**
   * Of which judged: the demo keeps the default settings, where a rate on fewer households than `effectif_minimum`
   * is neither met nor missed in a summary (the CSV's `faible_effectif` column says which).
   */
  const juges = (indicateur: string, type: string) => avecCible(indicateur, type).filter((r) => r['faible_effectif'] === '0');
  const faibles = (indicateur: string, type: string) => avecCible(indicateur, type).filter((r) => r['faible_effectif'] === '1');

  it('counts, for each target, as many partners behind it as the command line’s CSV', () => {
    expect(csv.length).toBeGreaterThan(100);
    // `atteint`: 1 met, 0 missed, empty without a target or a denominator.
    expect(new Set(csv.map((r) => r['atteint']))).toEqual(new Set(['1', '0', '']));
    // Both judged and low-count rows exist, so both sides of the rule are checked.
    expect(csv.some((r) => r['faible_effectif'] === '1') && csv.some((r) => r['faible_effectif'] === '0')).toBe(true);
    const colonne = { Bailleur: 'bailleur', Commune: 'commune', QPV: 'qpv', Contingent: 'contingent' } as Record<string, string>;
    const titres = Object.values(LEGAL_INDICATORS).map((d) => [d.courts.titre, d.id] as const);
    const vus: string[] = [];
    for (const ligne of synthese.lignes) {
      const [objectif, type, nJuges, nRetard, , nFaibles] = ligne.cellules.map(texteCellule);
      const indicateur = titres.find(([t]) => t === objectif)?.[1] as string;
      const perimetre = colonne[type as string] as string;
      const rows = juges(indicateur, perimetre);
      expect([indicateur, perimetre, Number(nJuges), Number(nRetard), Number(nFaibles)]).toEqual([
        indicateur,
        perimetre,
        rows.length,
        rows.filter((r) => r['atteint'] === '0').length,
        faibles(indicateur, perimetre).length,
      ]);
      vus.push(`${indicateur}:${perimetre}`);
    }
    // The priority target is judged per contingent; the territory's targets by bailleur and commune (and QPV for those counted in QPV).
    expect(vus).toContain('prioritaires:contingent');
    expect(vus).toContain('hors_qpv_q1:bailleur');
    expect(vus).toContain('hors_qpv_q1:commune');
    expect(vus.filter((v) => v.endsWith(':contingent'))).toEqual(['prioritaires:contingent']);
  });

  it('names the partners behind, the most households missing first, each missing ⌈target × denominator⌉ − numerator', () => {
    const t = tableaux.find((x) => x.id === 'retards-prioritaires-contingent') as Tableau;
    expect(t).toBeDefined();
    let precedent = Infinity;
    let verifies = 0;
    for (const ligne of t.lignes) {
      const nom = texteCellule(ligne.cellules[0] as never);
      const manquants = (ligne.cellules[1] as { valeur: number }).valeur;
      expect(manquants).toBeLessThanOrEqual(precedent);
      precedent = manquants;
      const num = ligne.cellules[2];
      const den = ligne.cellules[3];
      if (num?.kind !== 'nombre' || den?.kind !== 'nombre') continue;
      // The same row in the CSV (plain code): its target and the households missing, computed in integers (cibles are in hundredths).
      const row = juges('prioritaires', 'contingent').find((r) => Number(r['numerateur']) === num.valeur && Number(r['denominateur']) === den.valeur && r['atteint'] === '0');
      if (!row) continue;
      const centiemes = Math.round(Number(row['cible']) * 100);
      const attendu = Math.max(0, Math.ceil((centiemes * den.valeur) / 100) - num.valeur);
      expect([nom, manquants]).toEqual([nom, attendu]);
      verifies++;
    }
    expect(verifies).toBeGreaterThan(0);
  });
});
