import { describe, expect, it } from 'vitest';
import {
  INCONNU,
  formatBooleen,
  formatDate,
  formatDateLongue,
  formatDecimal,
  formatEntier,
  formatEuros,
  formatNombre,
  formatPoints,
  formatRatio,
  formatTaux,
  formatVariation,
  formaterTauxContreCible,
  pluriel,
  pourDocument,
} from './francais.ts';

// Expected strings written by hand: F = narrow no-break space (thousands), N = no-break space (before a unit),
// M = minus sign.
const F = '\u202f';
const N = '\u00a0';
const M = '\u2212';

describe('French formats (one home for the web, the bilan and the command line)', () => {
  it('writes integers with narrow no-break spaces between thousands', () => {
    expect(formatEntier(0)).toBe('0');
    expect(formatEntier(999)).toBe('999');
    expect(formatEntier(3147)).toBe(`3${F}147`);
    expect(formatEntier(1234567)).toBe(`1${F}234${F}567`);
    expect(formatEntier(-12000)).toBe(`-12${F}000`);
    expect(formatEntier(2.6)).toBe('3');
  });

  it('writes decimals with a comma', () => {
    expect(formatNombre(1234.567)).toBe(`1${F}234,57`);
    expect(formatNombre(2)).toBe('2');
    expect(formatRatio(7.6147)).toBe('7,6');
    expect(formatRatio(3)).toBe('3,0');
    expect(formatDecimal(0.3)).toBe('0,3');
    expect(formatDecimal(0.1 + 0.2)).toBe('0,3');
    expect(formatDecimal(1)).toBe('1');
    expect(formatDecimal(0.125)).toBe('0,125');
  });

  it('writes rates with one decimal and a no-break space before %', () => {
    expect(formatTaux(0.81)).toBe(`81,0${N}%`);
    expect(formatTaux(1 / 3)).toBe(`33,3${N}%`);
    expect(formatTaux(0.2345)).toBe(`23,5${N}%`);
    expect(formatTaux(0)).toBe(`0,0${N}%`);
    expect(formatTaux(12.3456)).toBe(`1${F}234,6${N}%`);
  });

  it('writes gaps in points and changes signed with a true minus, zero unsigned', () => {
    expect(formatPoints(0.023)).toBe(`+2,3${N}pt`);
    expect(formatPoints(-0.0166)).toBe(`${M}1,7${N}pt`);
    expect(formatPoints(0)).toBe(`0,0${N}pt`);
    // A gap that rounds to zero is not signed.
    expect(formatPoints(-0.0004)).toBe(`0,0${N}pt`);
    expect(formatVariation(12000 / 16800 - 1)).toBe(`${M}28,6${N}%`);
    expect(formatVariation(0.5)).toBe(`+50,0${N}%`);
  });

  it('writes whole euros', () => {
    expect(formatEuros(11720)).toBe(`11${F}720${N}€`);
    expect(formatEuros(24000.4)).toBe(`24${F}000${N}€`);
  });

  it('writes dates short and long, keeps other text', () => {
    expect(formatDate('2024-12-31')).toBe('31/12/2024');
    expect(formatDate('2026-11-25T02:21:07')).toBe('25/11/2026 à 02h21');
    expect(formatDate('2026-11-25 14:05:00')).toBe('25/11/2026 à 14h05');
    expect(formatDate('hier')).toBe('hier');
    expect(formatDateLongue('2024-12-31')).toBe('31 décembre 2024');
    expect(formatDateLongue('2024-03-01')).toBe('1er mars 2024');
    expect(formatDateLongue('2024-08-15')).toBe('15 août 2024');
  });

  it('writes « — » for an unknown value', () => {
    for (const f of [formatEntier, formatNombre, formatRatio, formatTaux, formatPoints, formatVariation, formatEuros]) {
      expect(f(null)).toBe(INCONNU);
      expect(f(undefined)).toBe(INCONNU);
    }
    expect(formatDate(null)).toBe('—');
    expect(formatDateLongue(undefined)).toBe('—');
    expect(formatBooleen(null)).toBe('—');
    expect(formatBooleen(true)).toBe('oui');
    expect(formatBooleen(false)).toBe('non');
  });

  it('counts with a plural above one', () => {
    expect(pluriel(0, 'bail', 'baux')).toBe('0 bail');
    expect(pluriel(1, 'proposition')).toBe('1 proposition');
    expect(pluriel(2, 'proposition')).toBe('2 propositions');
    expect(pluriel(1500, 'bail', 'baux')).toBe(`1${F}500 baux`);
  });

  it('writes the figures of a document with no-break spaces only', () => {
    expect(pourDocument(formatEntier(1234567))).toBe(`1${N}234${N}567`);
    expect(pourDocument(formatEuros(11720))).toBe(`11${N}720${N}€`);
    expect(pourDocument(formatPoints(-0.0166))).toBe(`${M}1,7${N}pt`);
  });

  describe('a rate beside its target never contradicts « atteint »', () => {
    it('adds decimals when rate and target print alike but the target is missed (1 141 / 1 409 = 0,809794… against 81 %)', () => {
      // 1141 / 1409 = 0.80979418… → 80,98 % at two decimals; 81 % → 81,00 %; gap 80,979… − 81 = −0,0206 pt → −0,02 pt.
      expect(formaterTauxContreCible(1141, 1409, 0.81)).toEqual({ taux: `80,98${N}%`, cible: `81,00${N}%`, ecart: `${M}0,02${N}pt`, decimales: 2 });
    });

    it('adds decimals when the target is met by a hair', () => {
      // 811 / 1000 = 81,1 % against 81,05 %: at one decimal 81,1 % twice → 81,10 % and 81,05 %, gap +0,05 pt.
      expect(formaterTauxContreCible(811, 1000, 0.8105)).toEqual({ taux: `81,10${N}%`, cible: `81,05${N}%`, ecart: `+0,05${N}pt`, decimales: 2 });
      // 8101 / 10000 = 81,01 % against 81 %: at one decimal 81,0 % twice and +0,0 pt → 81,01 %, 81,00 %, +0,01 pt.
      expect(formaterTauxContreCible(8101, 10000, 0.81)).toEqual({ taux: `81,01${N}%`, cible: `81,00${N}%`, ecart: `+0,01${N}pt`, decimales: 2 });
    });

    it('goes as far as needed: 80 999 / 100 000 against 81 % differs at the third decimal', () => {
      // 80,999 % → 81,0 % and 81,00 % at one and two decimals; 80,999 % and −0,001 pt at three.
      expect(formaterTauxContreCible(80999, 100000, 0.81)).toEqual({ taux: `80,999${N}%`, cible: `81,000${N}%`, ecart: `${M}0,001${N}pt`, decimales: 3 });
    });

    it('keeps one decimal when the figures already differ or the rate is exactly the target', () => {
      // 1 / 4 = 25 % exactly: met, « 0,0 pt ».
      expect(formaterTauxContreCible(1, 4, 0.25)).toEqual({ taux: `25,0${N}%`, cible: `25,0${N}%`, ecart: `0,0${N}pt`, decimales: 1 });
      // 81 / 100 exactly 81 %: met.
      expect(formaterTauxContreCible(81, 100, 0.81)).toEqual({ taux: `81,0${N}%`, cible: `81,0${N}%`, ecart: `0,0${N}pt`, decimales: 1 });
      // 20 / 100 against 25 %: −5,0 pt.
      expect(formaterTauxContreCible(20, 100, 0.25)).toEqual({ taux: `20,0${N}%`, cible: `25,0${N}%`, ecart: `${M}5,0${N}pt`, decimales: 1 });
      // 809 / 1000 = 80,9 % against 81 %: −0,1 pt at one decimal already.
      expect(formaterTauxContreCible(809, 1000, 0.81)).toEqual({ taux: `80,9${N}%`, cible: `81,0${N}%`, ecart: `${M}0,1${N}pt`, decimales: 1 });
    });

    it('a gap of exactly half a tenth is not printed « 0,0 pt »', () => {
      // 1619 / 2000 = 80,95 % against 81 %: the rate prints 81,0 % (half up) → two decimals: 80,95 %, −0,05 pt.
      expect(formaterTauxContreCible(1619, 2000, 0.81)).toEqual({ taux: `80,95${N}%`, cible: `81,00${N}%`, ecart: `${M}0,05${N}pt`, decimales: 2 });
    });

    it('without counts (masked) uses the published rate; without target or rate, the rate alone', () => {
      expect(formaterTauxContreCible(null, null, 0.81, 1141 / 1409).taux).toBe(`80,98${N}%`);
      expect(formaterTauxContreCible(0, 0, 0.25)).toEqual({ taux: INCONNU, cible: `25,0${N}%`, ecart: INCONNU, decimales: 1 });
      expect(formaterTauxContreCible(3, 12, null)).toEqual({ taux: `25,0${N}%`, cible: INCONNU, ecart: INCONNU, decimales: 1 });
    });
  });
});
