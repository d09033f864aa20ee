import { describe, expect, it } from 'vitest';
import { TRANCHES_LOYER, libelleTrancheLoyer, tauxRefus, trancheLoyer } from './observatoire.ts';

describe('refusal observatory rules', () => {
  it('bands the rent at every bound', () => {
    expect([299.99, 300, 399.99, 400, 599, 600, 1200, null].map(trancheLoyer)).toEqual([
      'moins_300', '300_399', '300_399', '400_499', '500_599', '600_plus', '600_plus', 'inconnu',
    ]);
    expect(TRANCHES_LOYER).toEqual(['moins_300', '300_399', '400_499', '500_599', '600_plus', 'inconnu']);
    expect(TRANCHES_LOYER.map(libelleTrancheLoyer)).toEqual(['Moins de 300 €', '300 à 399 €', '400 à 499 €', '500 à 599 €', '600 € et plus', 'Loyer inconnu']);
  });

  it('rates refusals over proposals, null without proposal, refuses incoherent counts', () => {
    expect(tauxRefus(1, 4)).toBe(0.25);
    expect(tauxRefus(0, 0)).toBeNull();
    expect(() => tauxRefus(3, 2)).toThrow('3 refus pour 2 propositions');
  });
});
