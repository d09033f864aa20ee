import { describe, expect, it } from 'vitest';
import { validateCiaYaml } from '../config/cia-config.ts';
import { classeFragilite, tendance } from './fragilite.ts';
import { colonneHypothese, parametresParc } from './parametres.ts';

const DEFAUT = parametresParc(undefined).fragilite;

describe('fragility classes at the boundaries', () => {
  it('exactly 25 % is fragile, exactly 50 % is fragile, above 50 % very fragile, below 25 % not fragile', () => {
    expect(classeFragilite(25, 100, DEFAUT)).toBe('fragile'); // 25 ÷ 100 = 25 % (inclusive)
    expect(classeFragilite(7, 28, DEFAUT)).toBe('fragile'); // 7 ÷ 28 = 25 % exactly
    expect(classeFragilite(50, 100, DEFAUT)).toBe('fragile'); // 50 % (inclusive)
    expect(classeFragilite(21, 42, DEFAUT)).toBe('fragile'); // 21 ÷ 42 = 50 % exactly
    expect(classeFragilite(51, 100, DEFAUT)).toBe('tres_fragile'); // 51 % > 50 %
    expect(classeFragilite(22, 43, DEFAUT)).toBe('tres_fragile'); // 51.2 %
    expect(classeFragilite(24, 100, DEFAUT)).toBe('non_fragile'); // 24 %
    expect(classeFragilite(6, 25, DEFAUT)).toBe('non_fragile'); // 24 %
  });

  it('no survey, no counted column or no household: inconnue', () => {
    expect(classeFragilite(null, 40, DEFAUT)).toBe('inconnue');
    expect(classeFragilite(3, null, DEFAUT)).toBe('inconnue');
    expect(classeFragilite(0, 0, DEFAUT)).toBe('inconnue');
  });

  it('a threshold that is not exact in binary (29 %) still puts 29 of 100 on the inclusive side', () => {
    // 0.29 × 100 = 28.999999999999996 in floating point: the rule compares integers (29 × 10 000 ≥ 2 900 × 100).
    expect(classeFragilite(29, 100, { ...DEFAUT, seuil_fragile: 0.29 })).toBe('fragile');
  });

  it('trend between two surveys, exactly', () => {
    expect(tendance({ comptes: 10, menages: 40 }, { comptes: 12, menages: 40 })).toBe('aggravation');
    expect(tendance({ comptes: 10, menages: 40 }, { comptes: 5, menages: 20 })).toBe('stable'); // 25 % and 25 %
    expect(tendance({ comptes: 10, menages: 40 }, { comptes: 4, menages: 20 })).toBe('amelioration');
    expect(tendance(null, { comptes: 4, menages: 20 })).toBeNull();
  });
});

describe('stock parameters in cia.yaml', () => {
  it('defaults: 25 / 30 / 35 %, central 30 %, no minimum reste à vivre, 40 % indicator', () => {
    const p = parametresParc(undefined);
    expect(p.taux_effort).toEqual([0.25, 0.3, 0.35]);
    expect(p.hypothese_centrale).toBe(0.3);
    expect(p.reste_a_vivre_minimum).toBeNull();
    expect(p.fragilite).toEqual({ indicateur: 'menages_sous_40pct_plafonds', seuil_fragile: 0.25, seuil_tres_fragile: 0.5 });
    expect(p.taux_effort.map(colonneHypothese)).toEqual(['abordable_25', 'abordable_30', 'abordable_35']);
    expect(colonneHypothese(0.325)).toBe('abordable_32_5');
  });

  it('read from cia.yaml, a typo or an inconsistent threshold located on its line', () => {
    const ok = validateCiaYaml('parc:\n  taux_effort: [0.3, 0.33]\n  reste_a_vivre_minimum: 10\n');
    expect(ok.ok && parametresParc(ok.config.parc)).toMatchObject({ taux_effort: [0.3, 0.33], hypothese_centrale: 0.3, reste_a_vivre_minimum: 10 });
    const faute = validateCiaYaml('parc:\n  taux_efort: [0.3]\n');
    expect(faute.ok).toBe(false);
    if (!faute.ok) expect(faute.problemes[0]).toMatchObject({ chemin: 'parc.taux_efort', ligne: 2 });
    const seuils = validateCiaYaml('parc:\n  fragilite:\n    seuil_fragile: 0.6\n');
    expect(seuils.ok).toBe(false);
    if (!seuils.ok) expect(seuils.problemes[0]).toMatchObject({ chemin: 'parc.fragilite.seuil_fragile', ligne: 3 });
  });
});
