import { describe, expect, it } from 'vitest';
import { compare } from '../src/components/DataTable.tsx';
import { compte, formatDate, formatEcart, formatEntier, formatTaux } from '../src/lib/format.ts';

describe('French formats of the screen', () => {
  it('writes rates, gaps, counts and dates as a French reader expects', () => {
    expect(formatTaux(0.2345)).toBe('23,5\u00a0%');
    expect(formatTaux(null)).toBe('—');
    // Since issue 11 the screen and the bilan share @mixite/core/francais: a true minus and a no-break space
    // before « pt » (the screen wrote « -9,4 pt » with a hyphen), a timestamp « à 02h21 » (was « 02:21 »).
    expect(formatEcart(-0.094)).toBe('\u22129,4\u00a0pt');
    expect(formatEcart(0.016)).toBe('+1,6\u00a0pt');
    expect(formatEntier(3147)).toBe('3\u202f147');
    expect(formatDate('2024-03-10')).toBe('10/03/2024');
    expect(formatDate('2026-11-25T02:21:07')).toBe('25/11/2026 à 02h21');
    expect(compte(1, 'baux')).toBe('1 bail');
    expect(compte(2, 'propositions')).toBe('2 propositions');
  });
});

describe('table sorting', () => {
  const sort = (values: unknown[], sens: 'asc' | 'desc') => [...values].sort((a, b) => compare(a, b, sens));

  it('keeps unknown values last in both directions', () => {
    expect(sort([0.2, null, 0.5, 0.1], 'asc')).toEqual([0.1, 0.2, 0.5, null]);
    expect(sort([0.2, null, 0.5, 0.1], 'desc')).toEqual([0.5, 0.2, 0.1, null]);
  });

  it('sorts names in French order, numbers inside names by value', () => {
    expect(sort(['Évry', 'Corbeil', 'Étampes', 'Bondoufle'], 'asc')).toEqual(['Bondoufle', 'Corbeil', 'Étampes', 'Évry']);
    expect(sort(['T10', 'T2', 'T1'], 'asc')).toEqual(['T1', 'T2', 'T10']);
  });
});
