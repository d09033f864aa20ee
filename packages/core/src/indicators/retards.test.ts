import { describe, expect, it } from 'vitest';
import { LEGAL_DECLARATIONS, LEGAL_INDICATORS } from './declarations.ts';
import type { LigneJugee } from './retards.ts';
import { menagesManquants, periodesDuSuivi, retardsDeLObjectif, retardsDesObjectifs, statutDeLaLigne, typesDesRetards } from './retards.ts';

/** A row as the engine writes it; `atteint` is given by hand, as the engine decides it (numerateur / denominateur ≥ cible). */
const row = (
  perimetre_type: string,
  perimetre_id: string,
  periode: string,
  numerateur: number | null,
  denominateur: number | null,
  cible: number | null,
  atteint: boolean | null,
  indicateur = 'hors_qpv_q1',
): LigneJugee => ({ indicateur, perimetre_type, perimetre_id, periode, numerateur, denominateur, cible, atteint });

describe('households missing', () => {
  it('is ceil(target × denominator) − numerator, exactly', () => {
    // 1 141 / 1 409 = 80,98 % for 81 %: 0,81 × 1 409 = 1 141,29 → 1 142 needed, 1 missing.
    expect(menagesManquants(1141, 1409, 0.81)).toBe(1);
    // 0,25 × 40 = 10 exactly: 10 needed; 7 of 40 → 3 missing; 10 of 40 → met, 0.
    expect(menagesManquants(7, 40, 0.25)).toBe(3);
    expect(menagesManquants(10, 40, 0.25)).toBe(0);
    // 0,25 × 41 = 10,25 → 11 needed; 10 of 41 → 1 missing.
    expect(menagesManquants(10, 41, 0.25)).toBe(1);
    // 0,3 × 10 = 3 exactly (binary 0.3 × 10 = 3.0000000000000004 would give 4): 2 of 10 → 1 missing.
    expect(menagesManquants(2, 10, 0.3)).toBe(1);
    // 100 % of 12 → 12 needed; 9 → 3 missing.
    expect(menagesManquants(9, 12, 1)).toBe(3);
    // Beyond the target: 0, never negative.
    expect(menagesManquants(30, 40, 0.25)).toBe(0);
  });

  it('judges a row: met, missed with its missing households, masked, too few, without object', () => {
    expect(statutDeLaLigne(row('bailleur', 'B1', '2024', 7, 40, 0.25, false))).toEqual({ kind: 'non_atteint', numerateur: 7, denominateur: 40, manquants: 3 });
    expect(statutDeLaLigne(row('bailleur', 'B1', '2024', 10, 40, 0.25, true))).toEqual({ kind: 'atteint', numerateur: 10, denominateur: 40 });
    expect(statutDeLaLigne(row('bailleur', 'B1', '2024', null, null, 0.25, null))).toEqual({ kind: 'masque' });
    expect(statutDeLaLigne(row('bailleur', 'B1', '2024', 0, 0, 0.25, null))).toEqual({ kind: 'sans_objet' });
    expect(statutDeLaLigne(row('bailleur', 'B1', '2024', 1, 4, null, null))).toEqual({ kind: 'sans_objet' });
    expect(statutDeLaLigne(undefined)).toEqual({ kind: 'sans_objet' });
    // The « faible effectif » hook: 0 of 1 is not judged when the caller's rule says so.
    const faible = { faibleEffectif: (r: LigneJugee) => (r.denominateur ?? 0) < 5 };
    expect(statutDeLaLigne(row('bailleur', 'B1', '2024', 0, 1, 0.25, false), faible)).toEqual({ kind: 'faible_effectif', numerateur: 0, denominateur: 1 });
  });
});

describe('lagging list', () => {
  // Four bailleurs, target 25 % of leases hors QPV:
  //  B1 year 5/40 (needs ceil(10) = 10 → 5 missing), S2 2/20 (needs 5 → 3 missing), 12m = year;
  //  B2 year 9/40 (needs 10 → 1 missing), S2 6/20 met (needs 5);
  //  B3 year 12/40 met, S2 4/20 (needs 5 → 1 missing): behind over the semester only;
  //  B4 year 10/20 met, S2 5/10 met: not listed;
  //  B5 masked over the year (counted apart).
  const rows: LigneJugee[] = [
    row('territoire', 'territoire', '2024-S2', 17, 70, 0.25, false),
    row('bailleur', 'B1', '2024', 5, 40, 0.25, false),
    row('bailleur', 'B1', '2024-S2', 2, 20, 0.25, false),
    row('bailleur', 'B1', '12m-2024-12-31', 5, 40, 0.25, false),
    row('bailleur', 'B2', '2024', 9, 40, 0.25, false),
    row('bailleur', 'B2', '2024-S2', 6, 20, 0.25, true),
    row('bailleur', 'B2', '12m-2024-12-31', 9, 40, 0.25, false),
    row('bailleur', 'B3', '2024', 12, 40, 0.25, true),
    row('bailleur', 'B3', '2024-S2', 4, 20, 0.25, false),
    row('bailleur', 'B4', '2024', 10, 20, 0.25, true),
    row('bailleur', 'B4', '2024-S2', 5, 10, 0.25, true),
    row('bailleur', 'B5', '2024', null, null, 0.25, null),
    // Other periods, types and indicators are not read.
    row('bailleur', 'B4', '2024-S1', 0, 10, 0.25, false),
    row('commune', 'C1', '2024', 0, 10, 0.25, false),
    row('bailleur', 'B4', '2024', 0, 10, null, null, 'mutations'),
  ];

  it('lists who is behind, most households missing first, with the semester and twelve months', () => {
    const periodes = periodesDuSuivi(2024, rows);
    expect(periodes).toEqual({ annee: '2024', semestre: '2024-S2', glissant: '12m-2024-12-31' });
    const liste = retardsDeLObjectif('hors_qpv_q1', 'bailleur', rows, periodes);
    expect(liste.retards.map((r) => r.perimetre_id)).toEqual(['B1', 'B2', 'B3']);
    expect(liste.retards[0]).toEqual({
      perimetre_type: 'bailleur',
      perimetre_id: 'B1',
      annee: { kind: 'non_atteint', numerateur: 5, denominateur: 40, manquants: 5 },
      semestre: { kind: 'non_atteint', numerateur: 2, denominateur: 20, manquants: 3 },
      glissant: { kind: 'non_atteint', numerateur: 5, denominateur: 40, manquants: 5 },
    });
    expect(liste.retards[2]?.annee.kind).toBe('atteint');
    expect(liste.retards[2]?.glissant.kind).toBe('sans_objet');
    // Judged over the year: B1, B2, B3, B4 (B5 masked); behind over the year: B1, B2; over the semester: B1, B3.
    expect({ juges: liste.juges, en_retard: liste.en_retard, en_retard_semestre: liste.en_retard_semestre, masques: liste.masques, faibles: liste.faibles }).toEqual({
      juges: 4,
      en_retard: 2,
      en_retard_semestre: 2,
      masques: 1,
      faibles: 0,
    });
  });

  it('falls back on the first semester and the twelve months to 30 June when the second has no data', () => {
    expect(periodesDuSuivi(2025, [row('territoire', 'territoire', '2025-S2', 0, 0, 0.25, null)])).toEqual({
      annee: '2025',
      semestre: '2025-S1',
      glissant: '12m-2025-06-30',
    });
  });

  it('leaves rows flagged « faible effectif » out of the met and the missed', () => {
    const liste = retardsDeLObjectif('hors_qpv_q1', 'bailleur', rows, periodesDuSuivi(2024, rows), { faibleEffectif: (r) => (r.denominateur ?? 0) < 25 });
    // Years of 40 are judged (B1, B2, B3); B4's year of 20 is too few; semesters of 20 are too few, so B3 is no longer listed.
    expect(liste.retards.map((r) => r.perimetre_id)).toEqual(['B1', 'B2']);
    expect([liste.juges, liste.en_retard, liste.en_retard_semestre, liste.faibles]).toEqual([3, 2, 0, 1]);
  });

  it('reads contingents for a target judged per contingent, bailleurs, communes (and QPV) otherwise', () => {
    expect(typesDesRetards(LEGAL_INDICATORS.prioritaires)).toEqual(['contingent']);
    expect(typesDesRetards(LEGAL_INDICATORS.hors_qpv_q1)).toEqual(['bailleur', 'commune']);
    expect(typesDesRetards(LEGAL_INDICATORS.qpv_hors_q1)).toEqual(['bailleur', 'commune', 'qpv']);
    const toutes = retardsDesObjectifs(LEGAL_DECLARATIONS, rows, periodesDuSuivi(2024, rows));
    // hors_qpv_q1 by bailleur (above) and by commune (C1 0/10 for 25 %: ceil(2,5) = 3 missing); mutations has no target.
    expect(toutes.map((l) => [l.indicateur, l.perimetre_type, l.en_retard])).toEqual([
      ['hors_qpv_q1', 'bailleur', 2],
      ['hors_qpv_q1', 'commune', 1],
    ]);
    expect(toutes[1]?.retards[0]?.annee).toEqual({ kind: 'non_atteint', numerateur: 0, denominateur: 10, manquants: 3 });
  });
});
