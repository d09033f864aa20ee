import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CIA_CONFIG, ciaConfigSchema } from '../config/cia-config.ts';
import { DEMAND_INDICATORS, DEMAND_INDICATOR_IDS, LEGAL_INDICATORS, LEGAL_INDICATOR_IDS } from './declarations.ts';
import { indicateursCsv } from './export.ts';
import { dansLaPeriode, fenetreDeLAnnee, parsePeriode, periode, periodesDeLAnnee, relationsDeLAnnee } from './periods.ts';
import { bailleurDuNonReserve, contingentNonReserve } from './perimeters.ts';
import { atteintDansLesSyntheses, ciblesInconnues, evaluer, faibleEffectif, horsDesSyntheses, ligneIndicateur, resoudreCible } from './targets.ts';

describe('declarations', () => {
  it('declare every legal indicator of DATA-FORMAT.md with its counting basis and date', () => {
    expect(LEGAL_INDICATOR_IDS).toEqual(['hors_qpv_q1', 'qpv_hors_q1', 'qpv_q3_q4', 'prioritaires', 'mutations', 'travailleurs_essentiels']);
    expect(LEGAL_INDICATORS.hors_qpv_q1).toMatchObject({ base: 'baux', date: 'date_bail', champ: 'hors_qpv' });
    for (const id of LEGAL_INDICATOR_IDS.filter((i) => i !== 'hors_qpv_q1')) {
      expect(LEGAL_INDICATORS[id]).toMatchObject({ id, base: 'propositions', date: 'date_cal' });
    }
    for (const d of Object.values(LEGAL_INDICATORS)) expect(d.libelle && d.definition && d.sourceLegale).toBeTruthy();
    for (const id of DEMAND_INDICATOR_IDS) expect(DEMAND_INDICATORS[id].id).toBe(id);
  });
});

describe('periods', () => {
  it('bound years, semesters and rolling windows, both days included', () => {
    expect(periodesDeLAnnee(2024).map((p) => [p.id, p.debut, p.fin])).toEqual([
      ['2024', '2024-01-01', '2024-12-31'],
      ['2024-S1', '2024-01-01', '2024-06-30'],
      ['2024-S2', '2024-07-01', '2024-12-31'],
      ['12m-2024-06-30', '2023-07-01', '2024-06-30'],
      ['12m-2024-12-31', '2024-01-01', '2024-12-31'],
      ['2024-T1', '2024-01-01', '2024-03-31'],
      ['2024-T2', '2024-04-01', '2024-06-30'],
      ['2024-T3', '2024-07-01', '2024-09-30'],
      ['2024-T4', '2024-10-01', '2024-12-31'],
    ]);
    // A leap year's 29 February and the quarter bounds are inside, both days included.
    expect(dansLaPeriode('2024-02-29', periode('trimestre_1', 2024))).toBe(true);
    expect(dansLaPeriode('2024-03-31', periode('trimestre_1', 2024))).toBe(true);
    expect(dansLaPeriode('2024-04-01', periode('trimestre_1', 2024))).toBe(false);
    expect(dansLaPeriode('2024-09-30', periode('trimestre_3', 2024))).toBe(true);
    expect(fenetreDeLAnnee(2024)).toEqual({ debut: '2023-07-01', fin: '2024-12-31' });
    expect(dansLaPeriode('2024-06-30', periode('semestre_1', 2024))).toBe(true);
    expect(dansLaPeriode('2024-07-01', periode('semestre_1', 2024))).toBe(false);
    expect(dansLaPeriode('2023-07-01', periode('glissant_30_06', 2024))).toBe(true);
  });

  it('parse back their ids', () => {
    for (const p of periodesDeLAnnee(2031)) expect(parsePeriode(p.id)).toEqual(p);
    expect(parsePeriode('2024-S3')).toBeNull();
    expect(parsePeriode('2024-T5')).toBeNull();
    expect(parsePeriode('2024-T0')).toBeNull();
    expect(parsePeriode('2024-T3')?.libelle).toBe('3e trimestre 2024');
    expect(parsePeriode('12m-2024-03-31')).toBeNull();
  });
});

describe('relations between the periods of a year', () => {
  const lendemain = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  it('each total is tiled day for day by its parts, in order, without gap or overlap', () => {
    const relations = relationsDeLAnnee(2024);
    expect(relations.map((r) => `${r.total.id} = ${r.parts.map((p) => p.id).join(' + ')}`)).toEqual([
      '2024 = 2024-S1 + 2024-S2',
      '2024 = 2024-T1 + 2024-T2 + 2024-T3 + 2024-T4',
      '2024-S1 = 2024-T1 + 2024-T2',
      '2024-S2 = 2024-T3 + 2024-T4',
      '12m-2024-12-31 = 2024',
      '12m-2024-06-30 = 2023-S2 + 2024-S1',
    ]);
    for (const { total, parts } of relations) {
      expect(parts[0]?.debut).toBe(total.debut);
      expect(parts.at(-1)?.fin).toBe(total.fin);
      for (let k = 1; k < parts.length; k++) expect(parts[k]?.debut).toBe(lendemain(parts[k - 1]?.fin as string));
    }
  });
});

describe('targets', () => {
  const config = ciaConfigSchema.parse({
    cibles: { qpv_hors_q1: 0.81, mutations: 0.3 },
    cibles_par_perimetre: [
      { indicateur: 'hors_qpv_q1', perimetre_type: 'commune', perimetre_id: '95313', cible: 0.3 },
      { indicateur: 'prioritaires', perimetre_type: 'type_contingent', perimetre_id: 'action_logement', cible: 0.1 },
      { indicateur: 'prioritaires', perimetre_type: 'contingent', perimetre_id: 'AL-SUD', cible: null },
      { indicateur: 'quartiles_inconnus', perimetre_type: 'territoire', perimetre_id: 'territoire', cible: 0.5 },
    ],
  });

  it('take the default key, or the per-perimeter override', () => {
    expect(resoudreCible(config, 'hors_qpv_q1', { type: 'territoire', id: 'territoire' })).toBe(0.25);
    expect(resoudreCible(config, 'hors_qpv_q1', { type: 'commune', id: '95313' })).toBe(0.3);
    expect(resoudreCible(config, 'hors_qpv_q1', { type: 'commune', id: '95314' })).toBe(0.25);
    expect(resoudreCible(config, 'qpv_hors_q1', { type: 'bailleur', id: 'B1' })).toBe(0.81);
    expect(resoudreCible(config, 'qpv_q3_q4', { type: 'territoire', id: 'territoire' })).toBeNull();
    expect(ciblesInconnues(config)).toEqual(['quartiles_inconnus']);
  });

  it('give the priority target per contingent: 100 % for the State’s priority contingent, 25 % elsewhere', () => {
    expect(resoudreCible(config, 'prioritaires', { type: 'contingent', id: 'PREF', typeContingent: 'etat_prioritaires' })).toBe(1);
    expect(resoudreCible(config, 'prioritaires', { type: 'type_contingent', id: 'etat_prioritaires' })).toBe(1);
    expect(resoudreCible(config, 'prioritaires', { type: 'contingent', id: contingentNonReserve('B1'), typeContingent: 'non_reserve' })).toBe(0.25);
    expect(resoudreCible(config, 'prioritaires', { type: 'contingent', id: 'COM', typeContingent: 'commune' })).toBe(0.25);
    // Not a per-contingent perimeter: no default target.
    expect(resoudreCible(config, 'prioritaires', { type: 'territoire', id: 'territoire' })).toBeNull();
    expect(resoudreCible(config, 'prioritaires', { type: 'bailleur', id: 'B1' })).toBeNull();
    // A contingent inherits the override of its type, unless it has its own (here: no target at all).
    expect(resoudreCible(config, 'prioritaires', { type: 'contingent', id: 'AL-NORD', typeContingent: 'action_logement' })).toBe(0.1);
    expect(resoudreCible(config, 'prioritaires', { type: 'contingent', id: 'AL-SUD', typeContingent: 'action_logement' })).toBeNull();
    expect(bailleurDuNonReserve('non_reserve:B1')).toBe('B1');
    expect(bailleurDuNonReserve('ETAT')).toBeNull();
  });

  it('judge atteint exactly at the target, with a correctly rounded gap', () => {
    expect(evaluer(1, 4, 0.25)).toEqual({ taux: 0.25, ecart: 0, atteint: true });
    expect(evaluer(81, 100, 0.81)).toMatchObject({ atteint: true, ecart: 0 });
    expect(evaluer(80, 100, 0.81)).toMatchObject({ atteint: false, ecart: -0.01 });
    expect(evaluer(3, 10, 0.25).ecart).toBe(0.05);
    expect(evaluer(0, 0, 0.25)).toEqual({ taux: null, ecart: null, atteint: null });
    expect(evaluer(2, 3, null)).toEqual({ taux: 2 / 3, ecart: null, atteint: null });
  });

  it('give rates between 0 and 1 and atteint ⇔ num/den ≥ cible in exact rationals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100 }), (a, b, c) => {
        const den = Math.max(a, b);
        const num = Math.min(a, b);
        const cible = c / 100;
        const { taux, atteint } = evaluer(num, den, cible);
        if (den === 0) return taux === null && atteint === null;
        return taux !== null && taux >= 0 && taux <= 1 && atteint === BigInt(num) * 100n >= BigInt(c) * BigInt(den);
      }),
    );
  });
});

describe('indicateurs.csv', () => {
  it('writes the stable columns, comma-separated, rates with up to 6 decimals and empty unknowns', () => {
    const rows = [
      ligneIndicateur(DEFAULT_CIA_CONFIG, 'hors_qpv_q1', { type: 'territoire', id: 'territoire' }, '2024', 2, 3),
      ligneIndicateur(DEFAULT_CIA_CONFIG, 'qpv_q3_q4', { type: 'qpv', id: 'QN09101A' }, '2024-S1', 0, 0),
    ];
    expect(indicateursCsv(rows)).toBe(
      'indicateur,perimetre_type,perimetre_id,periode,numerateur,denominateur,taux,cible,ecart,atteint\n' +
        'hors_qpv_q1,territoire,territoire,2024,2,3,0.666667,0.25,0.416667,1\n' +
        'qpv_q3_q4,qpv,QN09101A,2024-S1,0,0,,,,\n',
    );
  });

  it('adds, after every existing column, the rate in percent as printed and the low-count mark when given the minimum', () => {
    const config = ciaConfigSchema.parse({ cibles: { qpv_hors_q1: 0.81 } });
    const rows = [
      // 1 141 / 1 409 = 0,809794 against 81 %: printed 80,98 % (81,0 % twice at one decimal) → 80.98; 1 409 ≥ 20.
      ligneIndicateur(config, 'qpv_hors_q1', { type: 'territoire', id: 'territoire' }, '2024', 1141, 1409),
      // 2 / 3 = 66,7 % against 25 %: one decimal → 66.7; 3 < 20 → faible effectif.
      ligneIndicateur(config, 'hors_qpv_q1', { type: 'commune', id: '91001' }, '2024-T2', 2, 3),
      // 19 / 19 = 100 %: still under 20 households; 20 / 20: not.
      ligneIndicateur(config, 'hors_qpv_q1', { type: 'commune', id: '91002' }, '2024', 19, 19),
      ligneIndicateur(config, 'hors_qpv_q1', { type: 'commune', id: '91003' }, '2024', 20, 20),
      ligneIndicateur(config, 'qpv_q3_q4', { type: 'qpv', id: 'QN09101A' }, '2024-S1', 0, 0),
    ];
    expect(indicateursCsv(rows, { effectifMinimum: 20 })).toBe(
      'indicateur,perimetre_type,perimetre_id,periode,numerateur,denominateur,taux,cible,ecart,atteint,taux_pourcent,faible_effectif\n' +
        'qpv_hors_q1,territoire,territoire,2024,1141,1409,0.809794,0.81,-0.000206,0,80.98,0\n' +
        'hors_qpv_q1,commune,91001,2024-T2,2,3,0.666667,0.25,0.416667,1,66.7,1\n' +
        'hors_qpv_q1,commune,91002,2024,19,19,1,0.25,0.75,1,100.0,1\n' +
        'hors_qpv_q1,commune,91003,2024,20,20,1,0.25,0.75,1,100.0,0\n' +
        'qpv_q3_q4,qpv,QN09101A,2024-S1,0,0,,,,,,0\n',
    );
  });
});

describe('low counts', () => {
  it('mark a rate whose denominator is below the minimum, not an empty or masked one', () => {
    expect(faibleEffectif(1, 20)).toBe(true);
    expect(faibleEffectif(19, 20)).toBe(true);
    expect(faibleEffectif(20, 20)).toBe(false);
    expect(faibleEffectif(0, 20)).toBe(false);
    expect(faibleEffectif(null, 20)).toBeNull();
    expect(faibleEffectif(1, 1)).toBe(false);
  });

  it('leave a low-count verdict out of summaries unless the CIA counts them', () => {
    const sans = { effectif_minimum: 20, compter_faibles_effectifs: false };
    const avec = { effectif_minimum: 20, compter_faibles_effectifs: true };
    expect(atteintDansLesSyntheses({ denominateur: 1, atteint: true }, sans)).toBeNull();
    expect(atteintDansLesSyntheses({ denominateur: 1, atteint: false }, avec)).toBe(false);
    expect(atteintDansLesSyntheses({ denominateur: 20, atteint: false }, sans)).toBe(false);
    expect(atteintDansLesSyntheses({ denominateur: null, atteint: null }, sans)).toBeNull();
    // The predicate for the lagging lists' hook says the same.
    expect([1, 19, 20, 0, null].map((d) => horsDesSyntheses(sans)({ denominateur: d }))).toEqual([true, true, false, false, false]);
    expect(horsDesSyntheses(avec)({ denominateur: 1 })).toBe(false);
  });

  it('default to 20 households, and refuse a minimum that is not a positive whole number', () => {
    expect(DEFAULT_CIA_CONFIG.effectif_minimum).toBe(20);
    expect(DEFAULT_CIA_CONFIG.compter_faibles_effectifs).toBe(false);
    expect(ciaConfigSchema.safeParse({ effectif_minimum: 0 }).success).toBe(false);
    expect(ciaConfigSchema.safeParse({ effectif_minimum: 2.5 }).success).toBe(false);
  });
});
