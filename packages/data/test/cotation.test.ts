import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Grille } from '@mixite/core';
import { parseGrille } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DateReferenceInvalideError,
  Store,
  calculerIndicateurs,
  comparerGrilles,
  cotationDe,
  dateDesDonnees,
  distributionDesNotes,
  distributionPubliee,
  ecrireCotationCsv,
  impactGrille,
  importDataset,
  listerCotations,
  materialiserCotation,
  resumerCotation,
} from '../src/index.ts';
import { tempDir } from './helpers.ts';

/**
 * The cotation engine on a hand-made territory (fixtures/cotation), imported by the real importer. Every expected
 * value is computed by hand in the comments, from the rows of fixtures/cotation/demandes.csv, at 31/12/2024.
 */

const FIXTURE = fileURLToPath(new URL('./fixtures/cotation', import.meta.url));
const DATE = '2024-12-31';

/** The grid of issue 6. */
const GRILLE_ISSUE = parseGrille(
  readFileSync(new URL('./fixtures/cotation/grille-issue-6.yaml', import.meta.url), 'utf8'),
  'issue.yaml',
);

/** Two sections, a capped `somme` heading, a `max` heading listed out of grid order, Q1, UC, a list, a free column. */
const GRILLE_SECTIONS = parseGrille(
  `nom: Grille de test à deux sections
version: 2
similaires: [typologie_min]
premier_acces:
  criteres:
    - { id: q1, libelle: "Premier quartile", points: 7, si: { q1: true } }
    - { id: famille, libelle: "Famille (2 UC ou plus)", points: 4, si: { uc: { ">=": 2 } } }
    - { id: metier, libelle: "Aide-soignante", points: 3, si: { attributs.profession: aide-soignante } }
    - { id: violences, libelle: "Violences (motif de priorité)", points: 6, si: { priorite_motifs: violences } }
    - { id: expulsion, libelle: "Expulsion", points: 5, si: { motif: expulsion } }
    - { id: isole, libelle: "Parent isolé", points: 5, si: { composition: monoparentale } }
    - { id: depuis_2024, libelle: "Dépôt en 2024", points: 1, si: { date_depot: { ">=": "2024-01-01" }, anciennete_mois: { "<": 12 } } }
  rubriques:
    - { id: urgence, libelle: "Urgence", criteres: [isole, expulsion], mode: max }
    - { id: menage, libelle: "Ménage", criteres: [q1, famille, metier], mode: somme, plafond: 10 }
mutation:
  criteres:
    - { id: mutation, libelle: "Demande de mutation", points: 3 }
    - { id: anciennete, libelle: "Ancienneté", points_par_mois: 0.5, plafond: 6 }
  refus: { points: -2, par_refus: false }
`,
  'sections.yaml',
);

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [FIXTURE]);
});
afterAll(() => store.close());

const parNur = async (grille: Grille, date = DATE) => {
  const page = await listerCotations(store, grille, { date, limite: 1000 });
  return Object.fromEntries(page.lignes.map((l) => [l.nur, l]));
};

describe('notes, ranks and waiting times (grid of issue 6, hand-computed)', () => {
  it('scores exactly the requests active on the date', async () => {
    const page = await listerCotations(store, GRILLE_ISSUE, { date: DATE, limite: 1000 });
    // Active on 31/12/2024: deposited by then and not radiated by then. C06 is deposited in 2025; C07 was satisfied
    // on 31/12/2024 itself; C08, C09, C14, C15, C19 satisfied and C10 radiated before; C11 is satisfied only in 2025.
    expect(page.lignes.map((l) => l.nur)).toEqual(['C01', 'C02', 'C03', 'C04', 'C05', 'C11', 'C12', 'C13', 'C16', 'C17', 'C18', 'C20']);
    expect(page.total).toBe(12);
    expect(page.date).toBe(DATE);
  });

  it('gives the hand-computed notes and their explanation', async () => {
    const c = await parNur(GRILLE_ISSUE);
    const vu = (nur: string) => [c[nur]?.note, c[nur]?.criteres.join('|')];
    // C01: expulsion 20 + single parent 5 + hosted 8 + 11 months (15/01 → 31/12) = 44.
    expect(vu('C01')).toEqual([44, 'expulsion|monoparentale|heberge_tiers|anciennete']);
    // C02: 900 / 2 000 = 45 % → 10; 54 months capped at 24; 2 refusals × −5 → 24.
    expect(vu('C02')).toEqual([24, 'taux_effort|anciennete|refus']);
    // C03: foyer → structure 12; 31/12/2023 → 31/12/2024 = 12 months → 24.
    expect(vu('C03')).toEqual([24, 'structure|anciennete']);
    // C04: hosted 8 + 1 month (30/11 → 31/12) = 9.
    expect(vu('C04')).toEqual([9, 'heberge_tiers|anciennete']);
    // C05: single parent 5; 350 / 1 300 = 27 % → nothing; deposited on the date → 0 month.
    expect(vu('C05')).toEqual([5, 'monoparentale|anciennete']);
    // C11: 6 months (15/06 → 31/12), still active although satisfied in 2025.
    expect(vu('C11')).toEqual([6, 'anciennete']);
    // C12: 500 / 1 000 = 50 % → 10; 34 months capped at 24; one refusal −5 → 29.
    expect(vu('C12')).toEqual([29, 'taux_effort|anciennete|refus']);
    // C13: 300 / 1 000 = exactly 30 %, not above; 29/02 → 31/12 = 10 months.
    expect(vu('C13')).toEqual([10, 'anciennete']);
    // C20: no resources, the effort rate is unknown; deposited on the date.
    expect(vu('C20')).toEqual([0, 'anciennete']);
    expect(vu('C16')).toEqual([0, 'anciennete']);
    expect(vu('C17')).toEqual([2, 'anciennete']);
    expect(vu('C18')).toEqual([1, 'anciennete']);
  });

  it('ranks among similar requests (same typology and first wished commune), ties sharing the best rank', async () => {
    const c = await parNur(GRILLE_ISSUE);
    const rang = (nur: string) => [c[nur]?.rang, c[nur]?.nb_similaires];
    // Group (T3, 91228): C01 44, C02 24, C03 24, C04 9, C11 6, C05 5 → 1, 2, 2, 4, 5, 6.
    expect(['C01', 'C02', 'C03', 'C04', 'C11', 'C05'].map(rang)).toEqual([
      [1, 6],
      [2, 6],
      [2, 6],
      [4, 6],
      [5, 6],
      [6, 6],
    ]);
    // Group (T2, 91174): C12 29, C13 10.
    expect(['C12', 'C13'].map(rang)).toEqual([
      [1, 2],
      [2, 2],
    ]);
    // Unknown values form their own groups: (unknown typology, 91228) = C16 alone; (T1, no commune) = C17 2, C18 1.
    expect(['C16', 'C17', 'C18', 'C20'].map(rang)).toEqual([
      [1, 1],
      [1, 2],
      [2, 2],
      [1, 1],
    ]);
  });

  it('averages the waiting time of the similar requests satisfied in the twelve months before the date', async () => {
    const c = await parNur(GRILLE_ISSUE);
    const delai = (nur: string) => [c[nur]?.delai_moyen_jours, c[nur]?.nb_satisfaites_similaires];
    // (T3, 91228): C07 01/03 → 31/12/2024 = 305 days, C08 01/01/2023 → 01/01/2024 = 365 days; C09 (satisfied on
    // 31/12/2023, before the window) and C10 (radiated, not satisfied) do not count → (305 + 365) / 2 = 335.
    expect(delai('C01')).toEqual([335, 2]);
    // (T2, 91174): C14 182 days, C15 1 day → 91.5, rounded half up to 92.
    expect(delai('C12')).toEqual([92, 2]);
    // (T1, no commune): C19 01/04 → 01/05 = 30 days: unknown key values are matched too.
    expect(delai('C17')).toEqual([30, 1]);
    // Nobody satisfied in (unknown typology, 91228) nor (T4, 91174).
    expect(delai('C16')).toEqual([null, 0]);
    expect(delai('C20')).toEqual([null, 0]);
  });

  it('moves with the reference date', async () => {
    // On 30/12/2024 C07 is still active (satisfied the next day) and C05 is not deposited yet; C03 has 11 months.
    const c = await parNur(GRILLE_ISSUE, '2024-12-30');
    // C07: hosted 8 + 9 months = 17, after C01 44, C02 24 and C03 23 (its 12th month is not complete on 30/12).
    expect(c.C07).toMatchObject({ note: 17, rang: 4 });
    expect(c.C05).toBeUndefined();
    expect(c.C03?.note).toBe(23);
    // The window is then 31/12/2023 – 30/12/2024: C09 (satisfied 31/12/2023 after 1 460 days) counts, C07 not
    // yet: (365 + 1 460) / 2 = 912.5, rounded to 913.
    expect(c.C01?.delai_moyen_jours).toBe(913);
  });
});

describe('two sections, capped headings, derived fields and free columns (hand-computed)', () => {
  it('scores each request with its section', async () => {
    const c = await parNur(GRILLE_SECTIONS);
    const vu = (nur: string) => [c[nur]?.portee, c[nur]?.note, c[nur]?.criteres.join('|')];
    // C01: Q1 (1 500 × 12 / 1.6 = 11 250 ≤ 12 000) 7 + aide-soignante 3 = 10 (cap not exceeded); expulsion and
    // single parent tie at 5, expulsion comes first in the grid although the heading lists isole first; deposited
    // in 2024 with 11 months → 1. Total 16.
    expect(vu('C01')).toEqual(['premier_acces', 16, 'q1|metier|expulsion|depuis_2024']);
    // C03: Q1 (800 × 12 / 2.3 ≈ 4 174) 7 + UC 2.3 ≥ 2 → 4 + aide-soignante 3 = 14, capped at 10 (line −4);
    // violences in priorite_motifs 6. Total 16.
    expect(vu('C03')).toEqual(['premier_acces', 16, 'q1|famille|metier|violences|plafond:menage']);
    // C05: 1 300 × 12 / 1.3 = 12 000, exactly the threshold → Q1 7; single parent 5; 2024 → 1. Total 13.
    expect(vu('C05')).toEqual(['premier_acces', 13, 'q1|isole|depuis_2024']);
    expect(vu('C02')).toEqual(['premier_acces', 0, '']);
    // C12 (mutation): 3 + min(6, 0.5 × 34) − 2 once = 7.
    expect(vu('C12')).toEqual(['mutation', 7, 'mutation|anciennete|refus']);
    // C13: 1 000 × 12 / 1 = 12 000 → Q1 7 + 1. C20: no resources → Q1 7 + 1.
    expect(vu('C13')).toEqual(['premier_acces', 8, 'q1|depuis_2024']);
    expect(vu('C20')).toEqual(['premier_acces', 8, 'q1|depuis_2024']);
    // Ranks by typology only: T3 = C01 16, C03 16, C05 13, C04 1, C11 1, C02 0; T2 = C13 8, C12 7.
    expect(['C01', 'C03', 'C05', 'C04', 'C11', 'C02', 'C13', 'C12'].map((n) => c[n]?.rang)).toEqual([1, 1, 3, 4, 4, 6, 1, 2]);
    expect(c.C01?.nb_similaires).toBe(6);
  });

  it('explains a note line by line, with labels and the similarity key', async () => {
    const e = await cotationDe(store, GRILLE_SECTIONS, 'C03', { date: DATE });
    expect(e).toMatchObject({ nur: 'C03', note: 16, rang: 1, nb_similaires: 6, delai_moyen_jours: 335, cle_similarite: { typologie_min: 3 } });
    expect(e?.lignes).toEqual([
      { id: 'q1', libelle: 'Premier quartile', points: 7 },
      { id: 'famille', libelle: 'Famille (2 UC ou plus)', points: 4 },
      { id: 'metier', libelle: 'Aide-soignante', points: 3 },
      { id: 'violences', libelle: 'Violences (motif de priorité)', points: 6 },
      { id: 'plafond:menage', libelle: 'Plafond de la rubrique « Ménage »', points: -4 },
    ]);
    const m = await cotationDe(store, GRILLE_SECTIONS, 'C12', { date: DATE });
    expect(m?.lignes.map((l) => [l.id, l.points])).toEqual([
      ['mutation', 3],
      ['anciennete', 6],
      ['refus', -2],
    ]);
    expect(await cotationDe(store, GRILLE_SECTIONS, 'C07', { date: DATE })).toBeNull();
  });
});

describe('outputs', () => {
  it('writes the CSV of the CLI, sorted by NUR', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const fichier = join(dir, 'cotation.csv');
      expect(await ecrireCotationCsv(store, GRILLE_ISSUE, fichier, { date: DATE })).toEqual({ date: DATE, demandes: 12 });
      const lignes = readFileSync(fichier, 'utf8').trimEnd().split('\n');
      expect(lignes[0]).toBe('nur;note;rang;nb_similaires;delai_moyen_jours;criteres');
      expect(lignes[1]).toBe('C01;44;1;6;335;expulsion|monoparentale|heberge_tiers|anciennete');
      expect(lignes).toContain('C16;0;1;1;;anciennete');
      expect(lignes).toHaveLength(13);
      // Decimal notes keep their decimals, without useless zeros.
      await ecrireCotationCsv(store, parseGrille('nom: d\nversion: 1\ncriteres:\n  - { id: a, libelle: a, points: 2.5 }\n  - { id: b, libelle: b, points: -0.25, si: { mutation: true } }\n', 'd'), fichier, { date: DATE });
      const decimales = readFileSync(fichier, 'utf8').split('\n');
      expect(decimales).toContain('C01;2.5;1;6;335;a');
      expect(decimales).toContain('C12;2.25;2;2;92;a|b');
    } finally {
      cleanup();
    }
  });

  it('summarises, materialises and distributes the notes', async () => {
    expect(await resumerCotation(store, GRILLE_SECTIONS, { date: DATE })).toMatchObject({
      demandes: 12,
      // typologie_min 3, 2, 1, 4 and unknown.
      groupes_similaires: 5,
      colonnes_libres_vides: [],
      seuil_q1: { annee: 2024, valeur: 12000, origine: 'publie' },
    });
    const vide = parseGrille('nom: v\nversion: 1\ncriteres:\n  - { id: a, libelle: a, points: 1, si: { attributs.inexistante: oui } }\n', 'v');
    expect((await resumerCotation(store, vide, { date: DATE })).colonnes_libres_vides).toEqual(['attributs.inexistante']);
    expect(await materialiserCotation(store, GRILLE_ISSUE, 'cotation_test', { date: DATE })).toEqual({ date: DATE, demandes: 12 });
    const [row] = await store.all<{ s: string }>(`SELECT CAST(sum(centiemes) AS VARCHAR) AS s FROM cotation_test`);
    // 44 + 24 + 24 + 9 + 5 + 6 + 29 + 10 + 0 + 2 + 1 + 0 = 154 points.
    expect(row?.s).toBe('15400');
    const d = await distributionDesNotes(store, GRILLE_ISSUE, { date: DATE });
    expect(d.resume).toMatchObject([{ portee: 'toutes', demandes: 12, minimum: 0, mediane: 7.5, maximum: 44 }]);
    expect(d.resume[0]?.moyenne).toBeCloseTo(154 / 12, 10);
    expect(d.classes.find((k) => k.note === 24)).toEqual({ portee: 'toutes', note: 24, demandes: 2 });
    expect(d.frequences.slice(0, 3)).toEqual([
      { portee: 'toutes', id: 'anciennete', demandes: 12 },
      { portee: 'toutes', id: 'heberge_tiers', demandes: 2 },
      { portee: 'toutes', id: 'monoparentale', demandes: 2 },
    ]);
  });

  it('restricts the aggregates to a perimeter (issue 10)', async () => {
    // B1's tenants active on the date: C12 only (C08 was satisfied before) — 29 points.
    const b1 = await distributionDesNotes(store, GRILLE_ISSUE, { date: DATE, perimetre: { kind: 'bailleur', id: 'B1' } });
    expect(b1.classes).toEqual([{ portee: 'toutes', note: 29, demandes: 1 }]);
    // Wishing 91174, active: C01 (44), C03 (24), C12 (29), C13 (10), C20 (0) → 107 points over 5.
    const corbeil = await distributionDesNotes(store, GRILLE_ISSUE, { date: DATE, perimetre: { kind: 'commune', id: '91174' } });
    expect(corbeil.resume).toMatchObject([{ portee: 'toutes', demandes: 5, minimum: 0, maximum: 44 }]);
    expect(corbeil.resume[0]?.moyenne).toBeCloseTo(107 / 5, 10);
    const aucune = await distributionDesNotes(store, GRILLE_ISSUE, { date: DATE, perimetre: { kind: 'aucune' } });
    expect([aucune.classes, aucune.resume, aucune.frequences]).toEqual([[], [], []]);
  });

  it('publishes the distribution with the statistical secrecy of the settings (11): only the total of 12 is shown', async () => {
    const d = await distributionPubliee(store, GRILLE_ISSUE, { date: DATE, secret: true });
    expect(d.secret_statistique).toBe(11);
    expect(d.resume).toEqual([{ portee: 'toutes', demandes: 12, moyenne: null, minimum: null, mediane: null, maximum: null }]);
    // Every note is held by at most 2 requests, and `anciennete` by all 12 (complement 0, published).
    expect(d.classes.every((k) => k.demandes === null)).toBe(true);
    expect(d.frequences.filter((f) => f.demandes !== null)).toEqual([{ portee: 'toutes', id: 'anciennete', demandes: 12, secret: null }]);
    const exacte = await distributionPubliee(store, GRILLE_ISSUE, { date: DATE, secret: false });
    expect(exacte.classes.find((k) => k.note === 24)).toEqual({ portee: 'toutes', note: 24, demandes: 2, secret: null });
  });

  it('computes the Q1 threshold from the demand when none is published, like the indicator engine', async () => {
    const { dir, cleanup } = tempDir();
    const sansSeuils = await Store.open(':memory:');
    try {
      const jeu = join(dir, 'jeu');
      cpSync(FIXTURE, jeu, { recursive: true });
      rmSync(join(jeu, 'seuils.csv'));
      await importDataset(sansSeuils, [jeu]);
      const resume = await resumerCotation(sansSeuils, GRILLE_SECTIONS, { date: DATE });
      const indicateurs = await calculerIndicateurs(sansSeuils, { annee: 2024 });
      const limite = indicateurs.limites.find((l) => l.annee === 2024);
      expect(resume.seuil_q1).toEqual({ annee: 2024, valeur: limite?.seuil_applique, origine: 'calcule' });
      // Active on 31/12/2023, resources per UC: C03 800 × 12 / 2.3 = 4 173.91, C12 8 000, C02 16 000, C08 20 000
      // (C09 was satisfied on that day). First quartile at position 3 × 0.25 = 0.75:
      // 4 173.91 + 0.75 × (8 000 − 4 173.91) = 7 043.4775 → 7 043.48 €.
      expect(resume.seuil_q1?.valeur).toBe(7043.48);
    } finally {
      sansSeuils.close();
      cleanup();
    }
  });

  it('defaults to the date of the data and refuses an impossible date', async () => {
    // The latest deposit or radiation date of demandes.csv: C11 radiated on 01/02/2025.
    expect(await dateDesDonnees(store)).toBe('2025-02-01');
    expect((await listerCotations(store, GRILLE_ISSUE, { limite: 1 })).date).toBe('2025-02-01');
    await expect(listerCotations(store, GRILLE_ISSUE, { date: '2024-02-30' })).rejects.toBeInstanceOf(DateReferenceInvalideError);
  });
});

describe('impact on the CIA targets (hand-computed)', () => {
  it('profiles the best-ranked requests of each typology, as many as the leases of the twelve months', async () => {
    const impact = await impactGrille(store, GRILLE_ISSUE, { date: DATE });
    expect(impact.periode).toEqual({ debut: '2024-01-01', fin: '2024-12-31' });
    expect(impact.cibles).toEqual([
      { indicateur: 'q1', cible_cia: 'hors_qpv_q1', cible: 0.25 },
      { indicateur: 'prioritaires', cible_cia: 'prioritaires', cible: 0.25 },
      { indicateur: 'mutations', cible_cia: 'mutations', cible: 0.3 },
      { indicateur: 'travailleurs_essentiels', cible_cia: 'travailleurs_essentiels', cible: 0.1 },
    ]);
    const ligne = (t: string) => impact.lignes.find((l) => l.typologie === t);
    // Leases signed 01/01–31/12/2024: A1 (L3, 3 rooms), A2 (L3B, 3 rooms, signed 01/01/2024), A3 and A5 (L2), A6 (L1).
    // A4 was signed on 31/12/2023, A7 was refused.
    expect(impact.lignes.map((l) => [l.typologie, l.baux])).toEqual([
      ['t1', 1],
      ['t2', 2],
      ['t3', 2],
      ['t4', 0],
      ['inconnue', 0],
      ['ensemble', 5],
    ]);
    // T3: the two best are C01 (44) and C02 (24; C03 also has 24 but was deposited later). C01 is Q1 and
    // prioritaire; C02 (2 000 × 12 / 1.5 = 16 000) is neither.
    expect(ligne('t3')?.retenues).toEqual({
      effectif: 2,
      nombres: { q1: 1, prioritaires: 1, mutations: 0, travailleurs_essentiels: 0 },
      parts: { q1: 0.5, prioritaires: 0.5, mutations: 0, travailleurs_essentiels: 0 },
    });
    // Leases T3: C07 (DALO, 14 400 €/UC: not Q1) and C08 (mutation, 20 000 €/UC).
    expect(ligne('t3')?.attributions.nombres).toEqual({ q1: 0, prioritaires: 1, mutations: 1, travailleurs_essentiels: 0 });
    // Demand T3: C01, C03, C05 Q1 (C05 exactly at the threshold); C01 and C03 priority; C04 key worker.
    expect(ligne('t3')?.demande.nombres).toEqual({ q1: 3, prioritaires: 2, mutations: 0, travailleurs_essentiels: 1 });
    // T2: both C12 (mutation, Q1) and C13 (key worker, Q1) are retained. T1: C17 (2 points, Q1) before C18.
    expect(ligne('t2')?.retenues.nombres).toEqual({ q1: 2, prioritaires: 0, mutations: 1, travailleurs_essentiels: 1 });
    expect(ligne('t1')?.retenues.nombres).toEqual({ q1: 1, prioritaires: 0, mutations: 0, travailleurs_essentiels: 0 });
    // Everything: 5 retained (C01, C02, C12, C13, C17), 4 of them Q1.
    expect(ligne('ensemble')?.retenues.parts).toEqual({ q1: 0.8, prioritaires: 0.2, mutations: 0.2, travailleurs_essentiels: 0.2 });
    // Leases: C14 is the only Q1 (700 × 12 = 8 400), C07 DALO, C08 mutation, C15 key worker, C19 none.
    expect(ligne('ensemble')?.attributions.parts).toEqual({ q1: 0.2, prioritaires: 0.2, mutations: 0.2, travailleurs_essentiels: 0.2 });
    expect(ligne('ensemble')?.demande).toMatchObject({ effectif: 12, nombres: { q1: 8, prioritaires: 2, mutations: 1, travailleurs_essentiels: 2 } });
    expect(ligne('t4')?.retenues.effectif).toBe(0);
    expect(ligne('t4')?.retenues.parts.q1).toBeNull();
  });

  it('compares two grids side by side', async () => {
    const c = await comparerGrilles(store, GRILLE_ISSUE, GRILLE_SECTIONS, { date: DATE });
    expect(c.a.grille.nom).toBe('Grille intercommunale');
    expect(c.b.grille.nom).toBe('Grille de test à deux sections');
    // Grid B, T3: C01 and C03 (16 each; C03 deposited 31/12/2023 before C01) → both Q1 and priority.
    expect(c.b.lignes.find((l) => l.typologie === 't3')?.retenues.nombres).toEqual({ q1: 2, prioritaires: 2, mutations: 0, travailleurs_essentiels: 0 });
    const t3 = c.ecarts.filter((e) => e.typologie === 't3');
    expect(t3.map((e) => [e.indicateur, e.a, e.b, e.ecart])).toEqual([
      ['q1', 0.5, 1, 0.5],
      ['prioritaires', 0.5, 1, 0.5],
      ['mutations', 0, 0, 0],
      ['travailleurs_essentiels', 0, 0, 0],
    ]);
    // Retained by both in T3: C01 only (A: C01, C02; B: C03, C01). T2: both grids retain C12 and C13; T1: C17.
    expect(c.recouvrement).toEqual([
      { typologie: 't1', retenues: 1, communes: 1, part: 1 },
      { typologie: 't2', retenues: 2, communes: 2, part: 1 },
      { typologie: 't3', retenues: 2, communes: 1, part: 0.5 },
      { typologie: 't4', retenues: 0, communes: 0, part: null },
      { typologie: 'inconnue', retenues: 0, communes: 0, part: null },
      { typologie: 'ensemble', retenues: 5, communes: 4, part: 0.8 },
    ]);
  });
});
