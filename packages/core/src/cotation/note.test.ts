import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGrille } from './grille.ts';
import type { DemandeACoter } from './note.ts';
import { ajouterJours, douzeMoisAvant, moisRevolus, noteDe } from './note.ts';

const REF = '2024-12-31';

const GRILLE = parseGrille(
  `nom: Grille intercommunale
version: 1
criteres:
  - { id: expulsion, libelle: "Menacé d'expulsion", points: 20, si: { motif: expulsion } }
  - { id: monoparentale, libelle: "Parent isolé", points: 5, si: { composition: monoparentale } }
  - { id: taux_effort, libelle: "Taux d'effort > 30 %", points: 10, si: { taux_effort_actuel: { ">": 0.30 } } }
  - { id: heberge_tiers, libelle: "Hébergé chez un tiers", points: 8, si: { logement_actuel: heberge_tiers } }
  - { id: structure, libelle: "En structure", points: 12, si: { logement_actuel: { in: [structure, foyer] } } }
  - { id: anciennete, libelle: "Ancienneté", points_par_mois: 1, plafond: 24, depuis: date_depot }
rubriques:
  - { id: hebergement, criteres: [heberge_tiers, structure], mode: max }
refus: { points: -5, par_refus: true }
`,
  'test.yaml',
);

const demande = (d: DemandeACoter): DemandeACoter => ({ date_depot: '2024-01-15', nb_personnes: 1, ressources_mensuelles: 1000, ...d });

describe('whole months of seniority', () => {
  it('counts the months completed on the reference date, month ends clamped like DuckDB', () => {
    expect(moisRevolus('2024-01-15', '2024-12-31')).toBe(11);
    expect(moisRevolus('2024-01-15', '2024-02-14')).toBe(0);
    expect(moisRevolus('2024-01-15', '2024-02-15')).toBe(1);
    // 31 January + 1 month = 29 February 2024: the month is complete on the last day of February.
    expect(moisRevolus('2024-01-31', '2024-02-29')).toBe(1);
    expect(moisRevolus('2024-01-31', '2024-02-28')).toBe(0);
    expect(moisRevolus('2023-01-31', '2023-02-28')).toBe(1);
    expect(moisRevolus('2023-12-31', '2024-12-31')).toBe(12);
    expect(moisRevolus('2024-12-31', '2024-12-31')).toBe(0);
    expect(moisRevolus('2025-01-05', '2024-12-31')).toBe(-1);
  });

  it('is the largest m with depuis + m months ≤ ref', () => {
    const jour = fc.integer({ min: 0, max: 20_000 }).map((n) => ajouterJours('1990-01-01', n));
    fc.assert(
      fc.property(jour, jour, (a, b) => {
        const [depuis, ref] = a <= b ? [a, b] : [b, a];
        const m = moisRevolus(depuis, ref);
        const plus = (k: number) => {
          const [y, mo, d] = depuis.split('-').map(Number) as [number, number, number];
          const total = mo - 1 + k;
          const yy = y + Math.floor(total / 12);
          const mm = (total % 12) + 1;
          const dernier = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
          return `${yy}-${String(mm).padStart(2, '0')}-${String(Math.min(d, dernier)).padStart(2, '0')}`;
        };
        return m >= 0 && plus(m) <= ref && plus(m + 1) > ref;
      }),
    );
  });

  it('bounds the twelve months before a date, the date included', () => {
    expect(douzeMoisAvant('2024-12-31')).toEqual({ debut: '2024-01-01', fin: '2024-12-31' });
    expect(douzeMoisAvant('2024-02-29')).toEqual({ debut: '2023-03-01', fin: '2024-02-29' });
    expect(douzeMoisAvant('2025-03-01')).toEqual({ debut: '2024-03-02', fin: '2025-03-01' });
  });
});

describe('noteDe', () => {
  it('sums the criteria met, line by line (hand-computed)', () => {
    // 20 (expulsion) + 5 (single parent) + 8 (hosted: the only criterion of its heading) + 11 months = 44.
    const n = noteDe(demande({ motif: 'expulsion', composition: 'monoparentale', logement_actuel: 'heberge_tiers' }), GRILLE, REF);
    expect(n).toMatchObject({ portee: 'toutes', note: 44, centiemes: 4400 });
    expect(n.lignes.map((l) => [l.id, l.points])).toEqual([
      ['expulsion', 20],
      ['monoparentale', 5],
      ['heberge_tiers', 8],
      ['anciennete', 11],
    ]);
  });

  it('caps seniority, counts refusals, and needs a rate strictly above 30 %', () => {
    // 900 / 2000 = 45 % → 10; 54 months capped at 24; two refusals × −5.
    const a = noteDe(demande({ date_depot: '2020-06-30', loyer_actuel: 900, ressources_mensuelles: 2000, nb_refus: 2 }), GRILLE, REF);
    expect(a.lignes.map((l) => [l.id, l.points])).toEqual([
      ['taux_effort', 10],
      ['anciennete', 24],
      ['refus', -10],
    ]);
    expect(a.note).toBe(24);
    // 300 / 1000 = exactly 30 %: not above.
    expect(noteDe(demande({ loyer_actuel: 300, ressources_mensuelles: 1000 }), GRILLE, REF).lignes.map((l) => l.id)).toEqual(['anciennete']);
    // No resources: the effort rate is unknown and never satisfies a condition.
    expect(noteDe(demande({ loyer_actuel: 200, ressources_mensuelles: 0 }), GRILLE, REF).lignes.map((l) => l.id)).toEqual(['anciennete']);
    // Decimal strings, as DuckDB returns DECIMAL.
    expect(noteDe(demande({ loyer_actuel: '300.01', ressources_mensuelles: '1000.00' }), GRILLE, REF).note).toBe(21);
  });

  it('counts only the best criterion of a max heading, the first in the grid on a tie', () => {
    const g = parseGrille(
      `nom: t
version: 1
criteres:
  - { id: a, libelle: a, points: 5, si: { motif: expulsion } }
  - { id: b, libelle: b, points: 5, si: { composition: monoparentale } }
  - { id: c, libelle: c, points: 7, si: { dalo: true } }
  - { id: d, libelle: d, points: 4, si: { prioritaire: true } }
  - { id: e, libelle: e, points: 3, si: { handicap: true } }
rubriques:
  - { id: r1, criteres: [b, a], mode: max }
  - { id: r2, criteres: [c, d, e], mode: somme, plafond: 10 }
`,
      't',
    );
    const n = noteDe({ motif: 'expulsion', composition: 'monoparentale', dalo: true, prioritaire: true, handicap: true }, g, REF);
    // r1: a and b tie at 5, a comes first in the grid; r2: 7 + 4 + 3 = 14 capped at 10.
    expect(n.lignes.map((l) => [l.id, l.points])).toEqual([
      ['a', 5],
      ['c', 7],
      ['d', 4],
      ['e', 3],
      ['plafond:r2', -4],
    ]);
    expect(n.note).toBe(15);
  });

  it('scores mutations and first-access requests with their own section', () => {
    const g = parseGrille(
      `nom: t
version: 1
premier_acces:
  criteres: [{ id: pa, libelle: pa, points: 1 }]
mutation:
  criteres: [{ id: mu, libelle: mu, points: 2 }, { id: anc, libelle: anc, points_par_mois: 0.5, plafond: 6 }]
  refus: { points: -2, par_refus: false }
`,
      't',
    );
    expect(noteDe({ mutation: false }, g, REF)).toMatchObject({ portee: 'premier_acces', note: 1 });
    expect(noteDe({}, g, REF)).toMatchObject({ portee: 'premier_acces', note: 1 });
    // 2 + min(6, 0.5 × 34) − 2 (once, whatever the number of refusals).
    expect(noteDe({ mutation: true, date_depot: '2022-02-28', nb_refus: 3 }, g, REF)).toMatchObject({ portee: 'mutation', note: 6 });
  });

  it('reads derived fields: UC, resources per UC, Q1 at or below the threshold, first wished commune', () => {
    const g = parseGrille(
      `nom: t
version: 1
criteres:
  - { id: q1, libelle: q1, points: 7, si: { q1: true } }
  - { id: famille, libelle: famille, points: 4, si: { uc: { ">=": 2 } } }
  - { id: pauvre, libelle: pauvre, points: 1, si: { ressources_uc: { "<": 5000 } } }
  - { id: evry, libelle: evry, points: 2, si: { commune_1: "91228" } }
  - { id: violences, libelle: v, points: 3, si: { priorite_motifs: { in: [violences, dalo] } } }
  - { id: metier, libelle: m, points: 1.5, si: { attributs.profession: aide-soignante } }
  - { id: score, libelle: s, points: 0.25, si: { attributs.score: { ">": 2.5 } } }
`,
      't',
    );
    const options = { seuilQ1: 12000 };
    // 1 300 × 12 / 1.3 = 12 000: exactly at the threshold, so Q1.
    const seuil = noteDe({ ressources_mensuelles: 1300, nb_personnes: 2, nb_moins_14_ans: 1 }, g, REF, options);
    expect(seuil.lignes.map((l) => l.id)).toEqual(['q1']);
    expect(noteDe({ ressources_mensuelles: 1300.01, nb_personnes: 2, nb_moins_14_ans: 1 }, g, REF, options).note).toBe(0);
    // Without a threshold Q1 is unknown.
    expect(noteDe({ ressources_mensuelles: 100, nb_personnes: 1 }, g, REF).lignes.map((l) => l.id)).toEqual(['pauvre']);
    // 4 persons with 1 child: UC 2.3; 800 × 12 / 2.3 ≈ 4 174 €.
    const n = noteDe(
      {
        ressources_mensuelles: 800,
        nb_personnes: 4,
        nb_moins_14_ans: 1,
        communes_souhaitees: '91228|91174',
        priorite_motifs: 'pdalhpd| violences',
        attributs: { profession: 'aide-soignante', score: '2,75' },
      },
      g,
      REF,
      options,
    );
    expect(n.lignes.map((l) => [l.id, l.points])).toEqual([
      ['q1', 7],
      ['famille', 4],
      ['pauvre', 1],
      ['evry', 2],
      ['violences', 3],
      ['metier', 1.5],
      ['score', 0.25],
    ]);
    expect(n.note).toBe(18.75);
  });

  it('rejects an invalid reference date', () => {
    expect(() => noteDe({}, GRILLE, '31/12/2024')).toThrow(/AAAA-MM-JJ/);
  });
});
