import { describe, expect, it } from 'vitest';
import { droitsDuBailleur, enRetard } from './droits.ts';
import { FLUX_PAR_DEFAUT, fluxParametres } from './parametres.ts';
import { tranchesConstruction, trancheDeLAnnee } from './periodes-construction.ts';
import { prevoirFlux } from './prevision.ts';
import { bilanFluxCsv, typologie } from './bilan.ts';
import { validateCiaConfig } from '../config/cia-config.ts';

describe('flux rules (pure)', () => {
  it('names the default construction bands and places the years at their edges', () => {
    expect(tranchesConstruction(FLUX_PAR_DEFAUT.periodes_construction).map((t) => t.code)).toEqual([
      'avant_1949',
      '1949_1974',
      '1975_1989',
      '1990_2004',
      '2005_2014',
      '2015_et_apres',
    ]);
    expect([1948, 1949, 1974, 1975, 2014, 2015, null].map((a) => trancheDeLAnnee(a, FLUX_PAR_DEFAUT.periodes_construction))).toEqual([
      'avant_1949',
      '1949_1974',
      '1949_1974',
      '1975_1989',
      '2005_2014',
      '2015_et_apres',
      'inconnue',
    ]);
  });

  it('forecasts: mean relettings × stock change + first lettings', () => {
    // Relettings (10 − 2) and (14 − 0) → mean 11; stock 110 / mean (100 + 100) / 2 = 1.1; + 3 → 11 × 1.1 + 3 = 15.1.
    const p = prevoirFlux({
      annee: 2024,
      anneesObservees: [
        { annee: 2022, realise: 10, premieresLocations: 2, stockDebut: 100 },
        { annee: 2023, realise: 14, premieresLocations: 0, stockDebut: 100 },
      ],
      stockDebut: 110,
      misesEnService: 3,
    });
    expect(p.valeur).toBeCloseTo(15.1, 10);
    expect(p.facteurStock).toBeCloseTo(1.1, 10);
    expect(prevoirFlux({ annee: 2024, anneesObservees: [], stockDebut: 0, misesEnService: 2 }).valeur).toBe(2);
  });

  it('carries balances and gives the bailleur what the conventions leave', () => {
    // 2023: flow 10, A 0.3 → rights 3, 2 orientations → −1. 2024: flow 20, A 0.3 → 6, 8 orientations → 8 − 6 − 1 = 1.
    const lignes = droitsDuBailleur(
      'B',
      [
        { annee: 2023, prevision: 10, realise: 10, orientations: new Map([['A', 2], ['non_reserve:B', 8]]) },
        { annee: 2024, prevision: 18, realise: 20, orientations: new Map([['A', 8], ['non_reserve:B', 12]]) },
      ],
      [
        { bailleurId: 'B', reservataireId: 'A', annee: 2023, part: 0.3 },
        { bailleurId: 'B', reservataireId: 'A', annee: 2024, part: 0.3 },
      ],
    );
    const a2024 = lignes.find((l) => l.reservataireId === 'A' && l.annee === 2024);
    expect([a2024?.report, a2024?.droits, a2024?.solde]).toEqual([-1, 6, 1]);
    expect(lignes.find((l) => l.reservataireId === 'non_reserve:B' && l.annee === 2024)?.part).toBe(0.7);
    // Half-way through the year, 5.4 forecast rights → pro-rata 2.7; 1 orientation is 1.7 behind: late; 2 is not (0.7 < 1).
    expect(enRetard({ droitsPrevisionnels: 5.4, orientations: 1 }, 0.5)).toBe(true);
    expect(enRetard({ droitsPrevisionnels: 5.4, orientations: 2 }, 0.5)).toBe(false);
  });

  it('writes the bilan CSV with the contract columns, and reads the flux section of cia.yaml', () => {
    expect(bilanFluxCsv([{ bailleur_id: 'B', reservataire_id: 'A', dimension: 'typologie', modalite: typologie(7), logements_proposes: 2, logements_attribues: 1 }])).toBe(
      'bailleur_id;reservataire_id;dimension;modalite;logements_proposes;logements_attribues\nB;A;typologie;T6+;2;1\n',
    );
    const ok = validateCiaConfig({ flux: { annees_prevision: 2 } });
    expect(ok.ok && fluxParametres(ok.config.flux)).toEqual({ ...FLUX_PAR_DEFAUT, annees_prevision: 2 });
    const faute = validateCiaConfig({ flux: { exclusion: ['mutations_internes'] } });
    expect(faute.ok ? [] : faute.problemes.map((p) => p.chemin)).toEqual(['flux.exclusion']);
    const ordre = validateCiaConfig({ flux: { periodes_construction: [1990, 1975] } });
    expect(ordre.ok).toBe(false);
  });
});
