import { describe, expect, it } from 'vitest';
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
    expect(ligne(2024, '200059229')?.mediane).toBe(1600000n); // median and Q3 are always the demand's
    expect(territoire.get(2022)).toMatchObject({ cents: 987655n, origine: 'calcule', publie: null });
    expect(territoire.get(2024)).toMatchObject({ cents: 1137900n, origine: 'publie' });
    expect(territoire.get(2023)?.origine).toBe('publie');
    // Nothing published nor computed: absent.
    expect(selectionnerLimites([], [2030], [], null, []).territoire.get(2030)).toEqual({ cents: null, origine: 'absent', publie: null });
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
