import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, importDataset } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cellule, Tableau } from '../src/contenu/modele.ts';
import { construireBilan } from '../src/contenu/construire.ts';
import { lireSimulationBilan } from '../src/contenu/simulation.ts';
import type { BilanDonnees } from '../src/donnees/collecte.ts';
import { collecterDonnees } from '../src/donnees/collecte.ts';

/**
 * The optional annex « Simulation des politiques d’attribution » (issue 16) on the bilan's hand-made territory
 * (fixtures/territoire; its cia.yaml sets the targets hors_qpv_q1 25 %, qpv_hors_q1 60 %, prioritaires 25 % and no
 * qpv_q3_q4 target). The simulation result is a hand-written file shaped like `mixite simuler --format json`: its
 * figures are printed as written, the targets are the bilan's own.
 */
const FIXTURE = new URL('./fixtures/territoire/', import.meta.url).pathname;
const N = '\u00a0';

const RESULTAT = {
  annee: 2025,
  anneesCalibration: [2023, 2024],
  tirages: 100,
  graine: 1,
  lignes: [
    { politique: 'pratique-observee', indicateur: 'hors_qpv_q1', perimetre_type: 'territoire', perimetre_id: 'territoire', moyenne: 0.2, p05: 0.15, p95: 0.25, observe: null },
    { politique: 'pratique-observee', indicateur: 'qpv_q3_q4', perimetre_type: 'territoire', perimetre_id: 'territoire', moyenne: 0.5, p05: 0.45, p95: 0.55, observe: null },
    { politique: 'pratique-observee', indicateur: 'menages_loges', perimetre_type: 'quartile', perimetre_id: 'q1', moyenne: 12, p05: 9, p95: 15, observe: null },
    { politique: 'un-q1-par-liste', indicateur: 'hors_qpv_q1', perimetre_type: 'territoire', perimetre_id: 'territoire', moyenne: 0.4, p05: 0.35, p95: 0.45, observe: null },
    { politique: 'un-q1-par-liste', indicateur: 'qpv_q3_q4', perimetre_type: 'territoire', perimetre_id: 'territoire', moyenne: 0.5, p05: 0.45, p95: 0.55, observe: null },
    { politique: 'difference', indicateur: 'hors_qpv_q1', perimetre_type: 'territoire', perimetre_id: 'territoire', moyenne: 0.2, p05: 0.18, p95: 0.22, observe: null },
  ],
};

let store: Store;
let donnees: BilanDonnees;
let dir: string;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [FIXTURE]);
  donnees = await collecterDonnees(store, 2024, 1, () => {}, 'public');
  dir = mkdtempSync(join(tmpdir(), 'mixite-simulation-bilan-'));
}, 120_000);
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const valeur = (c: Cellule | undefined) => (c?.kind === 'taux' ? c.valeur : c?.kind === 'texte' ? c.texte : c?.kind);
const TITRE = 'Simulation des politiques d’attribution';
const titres = (blocs: readonly { kind: string }[]) => blocs.filter((b) => b.kind === 'titre').map((b) => (b as unknown as { texte: string }).texte);

describe('bilan : annex « Simulation des politiques d’attribution »', () => {
  it('is absent when no simulation result is chosen', () => {
    expect(titres(construireBilan(donnees, new Date('2025-03-01T00:00:00Z')).blocs)).not.toContain(TITRE);
  });

  it('prints each policy’s intervals against the bilan’s targets, and the difference B − A', () => {
    const chemin = join(dir, 'simulation-2025.json');
    writeFileSync(chemin, JSON.stringify(RESULTAT));
    const bilan = construireBilan({ ...donnees, simulation: lireSimulationBilan(chemin) }, new Date('2025-03-01T00:00:00Z'));
    const t = titres(bilan.blocs);
    // After the programme (absent here), before the methodological annex.
    expect(t.indexOf(TITRE)).toBeGreaterThan(0);
    expect(t.indexOf(TITRE)).toBeLessThan(t.indexOf('Annexe méthodologique'));
    const tableaux = bilan.blocs.filter((b): b is Tableau => b.kind === 'tableau');
    const a = tableaux.find((x) => x.id === 'simulation-pratique-observee');
    expect(a?.titre).toBe('Politique « pratique-observee » : objectifs simulés en 2025');
    // Only the territory's target rates (no count of households housed); target from cia.yaml; 2025 has no data: empty.
    expect(a?.lignes.map((l) => l.cellules.map(valeur))).toEqual([
      ['Baux hors QPV signés par des ménages du 1er quartile ou relogés', 0.2, `15,0${N}% – 25,0${N}%`, 0.25, 'vide'],
      [expect.any(String), 0.5, `45,0${N}% – 55,0${N}%`, 'vide', 'vide'],
    ]);
    const d = tableaux.find((x) => x.id === 'simulation-difference');
    expect(d?.titre).toBe('« un-q1-par-liste » comparée à « pratique-observee » : différence B − A');
    expect(d?.lignes.map((l) => l.cellules.map(valeur))).toEqual([['Baux hors QPV signés par des ménages du 1er quartile ou relogés', 0.2, `18,0${N}% – 22,0${N}%`]]);
  });

  it('says in French which file is not a simulation result', () => {
    const faux = join(dir, 'faux.json');
    writeFileSync(faux, '{"annee": 2025}');
    expect(() => lireSimulationBilan(faux)).toThrow(/résultat de simulation « faux\.json » invalide/);
    const texte = join(dir, 'texte.json');
    writeFileSync(texte, 'politique;indicateur');
    expect(() => lireSimulationBilan(texte)).toThrow('résultat de simulation « texte.json » illisible : du JSON est attendu (mixite simuler --format json)');
    expect(() => lireSimulationBilan(join(dir, 'absent.json'))).toThrow(/résultat de simulation introuvable/);
  });
});
