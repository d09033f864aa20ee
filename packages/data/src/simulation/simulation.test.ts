import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LigneSimulation } from '@mixite/core';
import { PolitiqueInvalideError, lirePolitique } from '@mixite/core';
import { ATTRIBUTIONS, PROFILS_CONTINGENT, PROFIL_PAR_TYPE, generateDemo } from '@mixite/demo';
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

  // The single-seed check of the issue, kept visible as `it.fails`: with graine 1 the observed 2024 hors-QPV Q1 rate
  // (219 / 1 527 = 14.3 %) is just under p05 (≈ 14.6 %), a draw of the demo GENERATOR (−1.7 sd against its own rates,
  // see the generator test below and docs/simulation.md « Rétro-test »). A check of one realisation against a 5–95 %
  // interval fails one time in ten for a perfect model: it cannot tell a good model from a bad one, so it does not gate
  // the issue (team decision, session 7); the tests below and bench/simulation-couverture.ts do. Turns red the day it holds.
  it.fails('single draw: the observed hors-QPV Q1 rate lies inside the 5–95 % interval (fails on the demo, graine 1)', () => {
    dansLIntervalle('hors_qpv_q1');
  });

  // Same, QPV Q3–Q4: observed 753 / 1 398 = 53.9 % against p95 ≈ 53.6 %. The demo's quartile medians drift under its
  // households (15 941 → 15 680 € per UC from 2021 to 2024) while the generator cuts Q2 / Q3–Q4 at a fixed median, so
  // this rate has no generator truth the indicator measures (docs/simulation.md); not a target of the back-test.
  it.fails('single draw: the observed QPV Q3–Q4 rate lies inside the interval (fails on the demo, graine 1)', () => {
    dansLIntervalle('qpv_q3_q4');
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

/**
 * The rate the demo GENERATOR expects for 2024, from its published constants and plain SQL on the demo — not from the
 * simulation. The generator (packages/demo/src/allocations.ts, `calibrerTaux` and `tirerProfil`) draws each lease
 * (hors QPV) or proposal (QPV) with a fixed probability per contingent profile of the dwelling:
 * - hors QPV, counted (Q1 or relocated): a relocated household (3.5 %) counts whatever its resources, the others are
 *   Q1 with (h − 3.5 %) / (1 − 3.5 %), so P(counted) = max(h, 3.5 %), with h = min(0.98, seed rate × k) and k the
 *   factor that brings the stock-weighted mean (dwellings hors QPV, or assimilated QPV) to 15.7 %;
 * - in QPV, Q1 with min(0.98, (1 − seed rate above Q1) × k), k bringing the QPV stock's mean to 1 − 83 % = 17 %.
 * Expected rate = Σ over the year's leases (proposals) of their profile's probability / their number. The counts and
 * the stock are the demo's; the Q1 limit the generator draws against is the year's published threshold, the one the
 * indicator reads, so these two rates are the indicator's truth (the Q3–Q4 one is not: see above).
 */
async function attenduDuGenerateur(champ: 'hors_qpv' | 'qpv'): Promise<{ attendu: number; effectif: number; effectifCalibration: number }> {
  // A dwelling without réservataire is in the generator's `non_reserve` profile (contingent < 0 in `tirerProfil`).
  const profils = [...Object.entries(PROFIL_PAR_TYPE), ['non_reserve', 'non_reserve']].map(([type, profil]) => `('${type}', '${profil}')`).join(', ');
  const horsQpv = champ === 'hors_qpv';
  const taux = Object.entries(PROFILS_CONTINGENT)
    .map(([profil, t]) => `('${profil}', ${horsQpv ? t.horsQpvQ1 : 1 - t.qpvHorsQ1})`)
    .join(', ');
  const cible = horsQpv ? ATTRIBUTIONS.horsQpvQ1OuReloges : 1 - ATTRIBUTIONS.qpvHorsQ1;
  const proba = horsQpv ? `greatest(least(0.98, t * k), ${ATTRIBUTIONS.relogesHorsQpv})` : `1 - least(0.98, t * k)`;
  const faits = horsQpv
    ? `SELECT year(a.date_bail) AS an, l.profil FROM attributions a JOIN parc l ON l.id = a.logement_id
       WHERE a.issue = 'bail_signe' AND NOT l.en_qpv`
    : `SELECT year(a.date_cal) AS an, l.profil FROM attributions a JOIN parc l ON l.id = a.logement_id
       WHERE a.decision = 'attribution' AND a.issue IN ('bail_signe', 'refus_demandeur', 'en_cours') AND l.en_qpv`;
  const [r] = await store.all<{ attendu: number; effectif: number; calibration: number }>(`
    WITH profils(type, profil) AS (VALUES ${profils}),
    taux(profil, t) AS (VALUES ${taux}),
    parc AS (
      SELECT l.id, p.profil, coalesce(q.assimile = false, false) AS en_qpv
      FROM logements l LEFT JOIN reservataires r ON r.id = l.contingent LEFT JOIN qpv q ON q.code_qpv = l.code_qpv
      JOIN profils p ON p.type = coalesce(r.type, 'non_reserve')),
    echelle AS (SELECT ${cible} / avg(t) AS k FROM parc JOIN taux USING (profil) WHERE en_qpv = ${!horsQpv}),
    probas AS (SELECT profil, ${proba} AS p FROM taux, echelle),
    faits AS (${faits})
    SELECT sum(p) FILTER (WHERE an = 2024)::DOUBLE AS attendu, count(*) FILTER (WHERE an = 2024)::INTEGER AS effectif,
           count(*) FILTER (WHERE an BETWEEN 2021 AND 2023)::INTEGER AS calibration
    FROM faits JOIN probas USING (profil)`);
  return { attendu: r!.attendu, effectif: r!.effectif, effectifCalibration: r!.calibration };
}

describe('back-test of 2024 against the generator’s truth (what a model can be held to on one demo)', () => {
  /**
   * Tolerance: 3 σ, σ² = σ_tirages² + σ_calibration². σ_tirages, the sd of the mean of the 40 runs: the runs' sd read
   * from their 5–95 % interval ((p95 − p05) / (2 × 1.645)), over √40. σ_calibration: the model learns the practice from
   * the 2021–2023 realisations of the generator, a binomial sample: √(p (1 − p) / n) over their n leases (proposals).
   * A perfect model fails this 0.3 % of the time; one biased by a tenth of the rate (1.6 points hors QPV) fails it.
   */
  const tenuParLeGenerateur = (indicateur: string, attendu: { attendu: number; effectif: number; effectifCalibration: number }) => {
    const l = ligne('pratique-observee', indicateur);
    const p = attendu.attendu / attendu.effectif;
    const sigmaTirages = (l.p95 - l.p05) / (2 * 1.645) / Math.sqrt(40);
    const sigmaCalibration = Math.sqrt((p * (1 - p)) / attendu.effectifCalibration);
    const tolerance = 3 * Math.hypot(sigmaTirages, sigmaCalibration);
    expect(Math.abs(l.moyenne - p), `${indicateur} : moyenne simulée ${l.moyenne}, attendu du générateur ${p.toFixed(4)} ± ${tolerance.toFixed(4)}`).toBeLessThanOrEqual(tolerance);
  };

  it('hors-QPV Q1: the simulated mean lies within 3 σ of the generator’s expected 15.87 %', async () => {
    const a = await attenduDuGenerateur('hors_qpv');
    // By hand (demo graine 1). Stock hors QPV by profile: action_logement 4 554, collectivites 5 006, etat_agents 647,
    // mal_loges 4 048, non_reserve 6 746 (21 001); Σ n × seed rate = 4 554 × 0.079 + 5 006 × 0.132 + 647 × 0.06 +
    // 4 048 × 0.304 + 6 746 × 0.179 = 3 497.50, mean 0.166540, k = 0.157 / 0.166540 = 0.942717; h = 0.074475,
    // 0.124439, 0.056563, 0.286586, 0.168746 (all above 3.5 %, under 0.98). Leases hors QPV of 2024: 355, 338, 44,
    // 323, 467 (1 527); expected 355 × 0.074475 + 338 × 0.124439 + 44 × 0.056563 + 323 × 0.286586 + 467 × 0.168746
    // = 26.44 + 42.06 + 2.49 + 92.57 + 78.80 = 242.36 counted, 15.87 % (219 observed: (219 − 242.36) / √195.2 = −1.67 sd).
    // Calibration: 1 485 + 1 475 + 1 409 = 4 369 leases, σ_calibration = √(0.1587 × 0.8413 / 4 369) = 0.55 point;
    // σ_tirages ≈ 1.0 / √40 = 0.15 point: tolerance 3 × 0.57 ≈ 1.7 point.
    expect(a.effectif).toBe(1527);
    expect(a.effectifCalibration).toBe(4369);
    expect(Math.abs(a.attendu - 242.36)).toBeLessThan(0.05);
    tenuParLeGenerateur('hors_qpv_q1', a);
  });

  it('QPV Q2–Q4: the simulated mean lies within 3 σ of the generator’s expected 83.21 %', async () => {
    const a = await attenduDuGenerateur('qpv');
    // By hand. Stock in QPV by profile: 4 608, 4 999, 621, 3 957, 6 816 (21 001), Q1 seed rates 1 − 0.918 = 0.082,
    // 1 − 0.879 = 0.121, 0.07, 0.275, 0.231: Σ = 377.86 + 604.88 + 43.47 + 1 088.18 + 1 574.50 = 3 688.88, mean
    // 0.175652, k = 0.17 / 0.175652 = 0.967821; Q1 probabilities 0.079361, 0.117106, 0.067747, 0.266151, 0.223567.
    // Proposals in QPV of 2024: 339, 308, 42, 244, 465 (1 398); expected Q1 = 26.90 + 36.07 + 2.85 + 64.94 + 103.96
    // = 234.72, Q2–Q4 = 1 398 − 234.72 = 1 163.28, 83.21 %. Calibration: 1 633 + 1 364 + 1 486 = 4 483 proposals,
    // σ_calibration = √(0.8321 × 0.1679 / 4 483) = 0.56 point.
    expect(a.effectif).toBe(1398);
    expect(a.effectifCalibration).toBe(4483);
    expect(Math.abs(a.attendu - 1163.28)).toBeLessThan(0.05);
    // Holds narrowly on graine 1 (simulated 81.63 %, 1.59 points under, tolerance 1.76): 0.70 from the calibration years'
    // draw, 0.37 from the 2024 mix of proposals, 0.5 the model's own shift toward Q1 in QPV (docs/simulation.md).
    tenuParLeGenerateur('qpv_hors_q1', a);
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
