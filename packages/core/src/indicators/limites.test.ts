import { describe, expect, it } from 'vitest';
import type { SeuilRetenu } from './limites.ts';
import { anneesSansSeuilPublie, centimesArrondis, epciDuTerritoire, limitesDuTerritoire, nomDuTerritoire, selectionnerLimites } from './limites.ts';

describe('nomDuTerritoire', () => {
  it('names one EPCI by its name, else its code; several by their size (never after one of them)', () => {
    expect(nomDuTerritoire({ epcis: 1, communes: 23, nomEpci: 'CA Grand Paris Sud', codeEpci: '200059228' })).toBe('CA Grand Paris Sud');
    expect(nomDuTerritoire({ epcis: 1, communes: 23, nomEpci: null, codeEpci: '200059228' })).toBe('EPCI 200059228');
    expect(nomDuTerritoire({ epcis: 0, communes: 0, nomEpci: null, codeEpci: null })).toBe('Territoire de la CIA');
    // 1 268 with a narrow no-break space, as every French integer of the product.
    expect(nomDuTerritoire({ epcis: 63, communes: 1268, nomEpci: 'CA Grand Paris Sud', codeEpci: '200059228' })).toBe('63 EPCI, 1\u202f268 communes');
  });
});

describe('the limits that apply to a date and a territory (one rule)', () => {
  const publies = [
    { annee: 2024, code_epci: '200059228', seuil_q1: '11379.00', source: 'arrêté IDF 2024' },
    { annee: 2024, code_epci: null, seuil_q1: '10500', source: 'arrêté général' },
    { annee: 2023, code_epci: '', seuil_q1: 10000.5, source: null },
  ];

  it('takes the EPCI of cia.yaml, else the only EPCI of the communes, else none', () => {
    expect(epciDuTerritoire('123', ['200059228'])).toBe('123');
    expect(epciDuTerritoire(null, ['200059228', '200059228'])).toBe('200059228');
    expect(epciDuTerritoire(undefined, ['A', 'B'])).toBeNull();
    expect(epciDuTerritoire(null, [])).toBeNull();
  });

  it('prefers the EPCI’s row over the all-EPCI row, then the computed Q1 of the demand, per year', () => {
    // 2022 has no published row at all: the demand's Q1 (quantile 987654.5 cents, rounded half up) applies.
    const calculs = [
      { annee: 2022, demandes: 40, q1: 987654.5, mediane: 1500000.25, q3: 2000000.75 },
      { annee: 2024, demandes: 50, q1: 1000000, mediane: 1600000, q3: 2100000 },
    ];
    const { parEpci, territoire } = selectionnerLimites(publies, [2022, 2023, 2024], ['200059228', '200059229'], '200059228', calculs);
    const ligne = (annee: number, code: string) => parEpci.find((l) => l.annee === annee && l.codeEpci === code);
    expect(ligne(2024, '200059228')?.seuilQ1).toBe(1137900n);
    expect(ligne(2024, '200059229')?.seuilQ1).toBe(1050000n);
    expect(ligne(2024, '')?.seuilQ1).toBe(1137900n); // the territory is EPCI 200059228
    expect(ligne(2023, '200059229')?.seuilQ1).toBe(1000050n); // empty code_epci = every EPCI
    expect(ligne(2022, '')).toEqual({ annee: 2022, codeEpci: '', seuilQ1: 987655n, mediane: 1500000n, q3: 2000001n });
    expect(ligne(2024, '200059229')?.mediane).toBe(1600000n); // no published Q2: the demand's median
    expect(territoire.get(2022)).toMatchObject({ cents: 987655n, origine: 'calcule', publie: null });
    expect(territoire.get(2024)).toMatchObject({ cents: 1137900n, origine: 'publie' });
    expect(territoire.get(2023)?.origine).toBe('publie');
    // Nothing published nor computed: absent.
    expect(selectionnerLimites([], [2030], [], null, []).territoire.get(2030)).toEqual({ cents: null, origine: 'absent', publie: null });
  });

  it('takes the median and Q3 of the published row when the arrêté gives them (seuil_q2, seuil_q3), else the demand’s', () => {
    // EPCI A's 2024 row gives Q2 and Q3; the all-EPCI row gives Q2 only: EPCI B keeps the demand's Q3.
    const avecQ2Q3 = [
      { annee: 2024, code_epci: 'A', seuil_q1: '11379', seuil_q2: '17796.5', seuil_q3: 23556, source: 'arrêté A' },
      { annee: 2024, code_epci: null, seuil_q1: '10500', seuil_q2: '16500', seuil_q3: null, source: 'arrêté général' },
    ];
    const calcul = { annee: 2024, demandes: 50, q1: 1000000, mediane: 1600000, q3: 2100000 };
    const { parEpci, territoire } = selectionnerLimites(avecQ2Q3, [2024], ['A', 'B'], 'A', [calcul]);
    const ligne = (code: string) => parEpci.find((l) => l.codeEpci === code);
    // 17 796,50 € → 1 779 650 cents; 23 556 € → 2 355 600 cents.
    expect(ligne('A')).toEqual({ annee: 2024, codeEpci: 'A', seuilQ1: 1137900n, mediane: 1779650n, q3: 2355600n });
    // 16 500 € → 1 650 000 cents (published, not the demand's 1 600 000); Q3 the demand's 2 100 000 cents.
    expect(ligne('B')).toEqual({ annee: 2024, codeEpci: 'B', seuilQ1: 1050000n, mediane: 1650000n, q3: 2100000n });
    expect(ligne('')).toMatchObject({ mediane: 1779650n, q3: 2355600n });
    const limites = limitesDuTerritoire(2024, calcul, territoire.get(2024) as SeuilRetenu);
    expect([limites.q1, limites.mediane, limites.q3]).toEqual([10000, 17796.5, 23556]);
  });

  it('reads the demand only for the years some EPCI lacks a published threshold', () => {
    expect(anneesSansSeuilPublie(publies, [2022, 2023, 2024], ['200059228', 'X'], '200059228')).toEqual([2022]);
    expect(anneesSansSeuilPublie(publies.slice(0, 1), [2024], ['200059228', 'X'], null)).toEqual([2024]);
  });

  it('reports the territory’s limits in euros, with the origin of the threshold', () => {
    const seuil = { cents: 1137900n, origine: 'publie' as const, publie: publies[0] ?? null };
    expect(limitesDuTerritoire(2024, { annee: 2024, demandes: 50, q1: 1000000, mediane: 1600000.5, q3: null }, seuil)).toEqual({
      annee: 2024,
      date_reference: '2023-12-31',
      demandes: 50,
      q1: 10000,
      mediane: 16000.01,
      q3: null,
      seuil_publie: 11379,
      source_seuil: 'arrêté IDF 2024',
      seuil_applique: 11379,
      origine_seuil: 'publie',
    });
    expect(centimesArrondis(2.5)).toBe(3n);
    expect(centimesArrondis(null)).toBeNull();
  });
});
