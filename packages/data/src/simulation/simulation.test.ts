import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LigneSimulation } from '@mixite/core';
import { PolitiqueInvalideError, lirePolitique } from '@mixite/core';
import { generateDemo } from '@mixite/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset.ts';
import { Store } from '../store/store.ts';
import type { Calibration } from './calibration.ts';
import { calibrerSimulation, partsDesConventions } from './calibration.ts';
import { lirePolitiqueFichier } from './fichiers.ts';
import type { ResultatSimulation } from './simulation.ts';
import { csvSimulation, simuler } from './simulation.ts';

/**
 * Issue 16, « Done when », on the demo territory (epci, graine 1): the back-test of 2024 from its 1 January state,
 * calibrated on 2021–2023. The observed values come from the indicator engine (not from the simulation); the test
 * only asks where they fall in the simulated intervals. Few runs (the test must stay well under a minute on a loaded
 * machine): 40 per policy, so p05 and p95 are the 2nd and the 38th values.
 */

const POLITIQUES = fileURLToPath(new URL('../../../../politiques/', import.meta.url));
const observee = lirePolitiqueFichier(join(POLITIQUES, 'pratique-observee.yaml'));
const unQ1 = lirePolitiqueFichier(join(POLITIQUES, 'un-q1-par-liste.yaml'));

let dir: string;
let store: Store;
let resultat: ResultatSimulation;
let calibration: Calibration;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mixite-simulation-'));
  await generateDemo({ out: dir, echelle: 'epci', graine: 1 });
  store = await Store.open(':memory:');
  await importDataset(store, [dir]);
  calibration = await calibrerSimulation(store, { annee: 2024 });
  resultat = await simuler(store, { annee: 2024, politiques: [observee, unQ1], tirages: 40, graine: 2024, threads: 2, calibration });
}, 300_000);
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ligne = (politique: string, indicateur: string, type = 'territoire', id = 'territoire'): LigneSimulation => {
  const l = resultat.lignes.find((x) => x.politique === politique && x.indicateur === indicateur && x.perimetre_type === type && x.perimetre_id === id);
  if (!l) throw new Error(`ligne absente : ${politique} ${indicateur} ${type} ${id}`);
  return l;
};

describe('back-test of 2024 on the demo territory', () => {
  it('is calibrated on the three years before', () => {
    expect(resultat.anneesCalibration).toEqual([2021, 2022, 2023]);
  });

  const dansLIntervalle = (indicateur: string) => {
    const l = ligne('pratique-observee', indicateur);
    expect(l.observe, indicateur).not.toBeNull();
    expect(l.observe!, `${indicateur} : observé ${l.observe} dans [${l.p05} ; ${l.p95}]`).toBeGreaterThanOrEqual(l.p05);
    expect(l.observe!, `${indicateur} : observé ${l.observe} dans [${l.p05} ; ${l.p95}]`).toBeLessThanOrEqual(l.p95);
  };

  it('the observed QPV Q2–Q4 rate (and the priority rate) lies inside the observed-practice policy’s 5–95 % interval', () => {
    dansLIntervalle('qpv_hors_q1');
    dansLIntervalle('prioritaires');
  });

  // Not a target of the back-test, kept visible: QPV Q3–Q4 observed 753 / 1 398 = 53.9 % in 2024 against
  // 51.1 %, 52.8 %, 51.9 % in 2021–2023; simulated p95 ≈ 53.6 %. Explained (docs/simulation.md, session 7): the demo's
  // quartile limits drift under its households (median 15 941 → 15 680 € per UC from 2021 to 2024, while the generator
  // cuts Q2 / Q3–Q4 at a fixed median); counted with the 2024 limits, 2021–2023 would give 52.9, 54.4, 52.8 %.
  it.fails('the observed QPV Q3–Q4 rate lies inside the interval (fails on the demo, graine 1)', () => {
    dansLIntervalle('qpv_q3_q4');
  });

  // KNOWN MISS, kept visible (issue 16 stays open on it): the demo's 2024 hors-QPV Q1 rate is 219 / 1 527 = 14.3 %,
  // while 2021–2023 gave 244 / 1 485 = 16.4 %, 241 / 1 475 = 16.3 %, 228 / 1 409 = 16.2 % (mixite indicateurs). The
  // model reproduces the calibration years (simulated mean ≈ 16 %), and its interval is about the binomial one
  // (± 1.6 pt): 14.3 % is under p05 (≈ 14.6 %). `it.fails`: this turns red the day it holds.
  // Not right-censoring (session 7, docs/simulation.md): the generator's lease delay is 7 days + Exp(16) for every
  // household; on the demo the mean delay is 21.8–23.7 days in each zone × quartile; every 2024 lease precedes the
  // extraction (15 January 2025); the Q4-2024 drop is already in the decisions (11.8 % Q1 among hors-QPV proposals).
  // The generator's Q1 probability per lease is fixed per contingent profile: against its own rates the 2024 leases
  // expected 242.1 counted, 219 observed (−1.6 sd; Q4 −2.6 sd): a draw of the generator. Over 7 demo seeds × 2023 and
  // 2024 the observed hors-QPV Q1 rate is inside the interval 11 times in 14 (mean error −0.26 pt). The team decides
  // between keeping this seed, a multi-seed coverage test, or another seed (docs/simulation.md).
  it.fails('the observed hors-QPV Q1 rate lies inside the observed-practice policy’s 5–95 % interval (fails on the demo, graine 1)', () => {
    dansLIntervalle('hors_qpv_q1');
  });

  it('the one-Q1-per-list policy raises the simulated hors-QPV Q1 mean, and the difference interval is above 0', () => {
    expect(ligne('un-q1-par-liste', 'hors_qpv_q1').moyenne).toBeGreaterThan(ligne('pratique-observee', 'hors_qpv_q1').moyenne);
    expect(ligne('difference', 'hors_qpv_q1').p05).toBeGreaterThan(0);
  });

  it('every vacancy of the year is let about once: leases close to the yearly vacancies of 2021–2023', () => {
    const baux = ligne('pratique-observee', 'baux').moyenne;
    const nonPourvues = ligne('pratique-observee', 'vacances_non_pourvues').moyenne;
    // The demo lets each vacancy once (one lease per commission that proposes): simulated leases + unfilled = vacancies.
    expect(nonPourvues).toBeLessThan(0.01 * baux);
  });
});

describe('determinism and inputs', () => {
  it('the same seed gives the same file, whatever the number of threads; another seed another file', async () => {
    const options = { annee: 2024, politiques: [observee] as const, tirages: 2, graine: 7, calibration };
    const a = csvSimulation((await simuler(store, { ...options, threads: 2 })).lignes);
    const b = csvSimulation((await simuler(store, { ...options, threads: 0 })).lignes);
    expect(b).toBe(a);
    expect(csvSimulation((await simuler(store, { ...options, graine: 8, threads: 0 })).lignes)).not.toBe(a);
    expect(a.split('\n')[0]).toBe('politique;indicateur;perimetre_type;perimetre_id;moyenne;p05;p95;observe');
  });

  it('a year without data has an empty observed column; a year without earlier data is refused in French', async () => {
    const r = await simuler(store, { annee: 2025, politiques: [observee], tirages: 2, graine: 1, threads: 0 });
    expect(r.lignes.every((l) => l.observe === null)).toBe(true);
    await expect(simuler(store, { annee: 2021, politiques: [observee], tirages: 2, graine: 1 })).rejects.toThrow('simulation de 2021 impossible : aucune attribution avant 2021 dans la base pour calibrer le modèle');
  });

  it('zero runs, an unknown rule, a grid with errors: clear French messages', async () => {
    await expect(simuler(store, { annee: 2024, politiques: [observee], tirages: 0, graine: 1, calibration })).rejects.toThrow('nombre de tirages invalide « 0 » : un entier de 1 à 100000 est attendu');
    const work = mkdtempSync(join(tmpdir(), 'mixite-politiques-'));
    try {
      writeFileSync(join(work, 'faute.yaml'), 'nom: faute\nordre: pratique_observee\nregles:\n  un_q1_par_liste: 1\n');
      expect(() => lirePolitiqueFichier(join(work, 'faute.yaml'))).toThrow(PolitiqueInvalideError);
      expect(() => lirePolitiqueFichier(join(work, 'faute.yaml'))).toThrow('faute.yaml, ligne 4, colonne 3 (regles.un_q1_par_liste) : règle inconnue « un_q1_par_liste »');
      writeFileSync(join(work, 'cotee.yaml'), 'nom: cotée\nordre: cotation\ngrille: grille.yaml\n');
      writeFileSync(join(work, 'grille.yaml'), 'nom: g\nversion: 1\ncriteres:\n  - { id: dalo, libelle: DALO, points: 40, si: { dalo: peut-etre } }\n');
      expect(() => lirePolitiqueFichier(join(work, 'cotee.yaml'))).toThrow(/grille\.yaml.*ligne 4/);
      expect(() => lirePolitiqueFichier(join(work, 'absente.yaml'))).toThrow('fichier de politique introuvable');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('flux: conventions — the shares of the reservation conventions (gestion en flux)', () => {
  /** The shares of the generated conventions.csv, read as plain text (not through the store): bailleur → réservataire → part. */
  const partsDuFichier = (annee: number): Map<string, Map<string, number>> => {
    const parts = new Map<string, Map<string, number>>();
    const [entete, ...lignes] = readFileSync(join(dir, 'conventions.csv'), 'utf8').trim().split('\n');
    const col = entete!.split(';');
    for (const l of lignes) {
      const v = l.split(';');
      if (Number(v[col.indexOf('annee')]) !== annee) continue;
      const b = v[col.indexOf('bailleur_id')]!;
      if (!parts.has(b)) parts.set(b, new Map());
      parts.get(b)!.set(v[col.indexOf('reservataire_id')]!, Number(v[col.indexOf('part')]!.replace(',', '.')));
    }
    return parts;
  };

  it('each bailleur’s shares are its conventions of the year, plus its own rest (1 − their sum)', async () => {
    const lues = await partsDesConventions(store, 2024);
    const fichier = partsDuFichier(2024);
    expect(Object.keys(lues).sort()).toEqual([...fichier.keys()].sort());
    for (const [bailleur, conventions] of fichier) {
      const parts = lues[bailleur]!;
      for (const [reservataire, part] of conventions) expect(parts.find((p) => p.contingent === reservataire)?.part, `${bailleur} ${reservataire}`).toBeCloseTo(part, 9);
      const reste = 1 - [...conventions.values()].reduce((a, b) => a + b, 0);
      expect(parts.find((p) => p.contingent === `non_reserve:${bailleur}`)?.part).toBeCloseTo(reste, 9);
      expect(parts.reduce((a, p) => a + p.part, 0)).toBeCloseTo(1, 9);
    }
  });

  it('a year after the last conventions reads the latest ones (a convention runs until renewed); a year before any reads none', async () => {
    const apres = await partsDesConventions(store, 2030);
    const fichier = partsDuFichier(2025);
    const [bailleur, conventions] = [...fichier.entries()][0]!;
    const [reservataire, part] = [...conventions.entries()][0]!;
    expect(apres[bailleur]!.find((p) => p.contingent === reservataire)?.part).toBeCloseTo(part, 9);
    // The demo's conventions start in 2023 (the flow management of 24 November 2023).
    expect(await partsDesConventions(store, 2022)).toEqual({});
  });

  const conventions = { id: 'flux-conventions', politique: lirePolitique('nom: Parts des conventions\nordre: pratique_observee\nflux: conventions\n', 'flux-conventions.yaml'), grille: null };

  it('runs through the worker threads, and the same seed gives the same file', async () => {
    const options = { annee: 2024, politiques: [conventions] as const, tirages: 2, graine: 5, calibration };
    const a = csvSimulation((await simuler(store, { ...options, threads: 2 })).lignes);
    expect(csvSimulation((await simuler(store, { ...options, threads: 0 })).lignes)).toBe(a);
    expect(a).toContain('flux-conventions;prioritaires;type_contingent;etat_prioritaires;');
  });

  it('a base without conventions up to the simulated year: a French message, before any run', async () => {
    await expect(simuler(store, { annee: 2022, politiques: [observee, conventions], tirages: 2, graine: 1, threads: 0 })).rejects.toThrow(
      'politique « flux-conventions » : « flux: conventions » suit les parts des conventions de réservation, mais la base n’a aucune convention (conventions.csv) pour 2022 ni avant',
    );
  });
});
