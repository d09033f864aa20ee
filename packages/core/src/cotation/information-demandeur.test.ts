import { describe, expect, it } from 'vitest';
import { delaiEnMots, pointsEnMots, positionnementEnMots, similairesEnMots } from './information-demandeur.ts';

describe('what a demandeur is told (L441-2-8)', () => {
  it('says the similar requests, the positioning and the waiting time in words', () => {
    expect(similairesEnMots({ typologie_min: 3, commune_1: '91228' })).toBe(
      'les demandes actives qui ont le même nombre de pièces minimal souhaité (3) et la même première commune souhaitée (91228)',
    );
    expect(similairesEnMots({})).toBe('toutes les demandes actives du territoire');
    expect(positionnementEnMots({ rang: 1, nb_similaires: 1 })).toBe('1re sur 1 demande similaire (à note égale, le même rang)');
    expect(positionnementEnMots({ rang: 2, nb_similaires: 14 })).toBe('2e sur 14 demandes similaires (à note égale, le même rang)');
    // 365 days ÷ 30.4375 = 11.99 → 12 months.
    expect(delaiEnMots({ delai_moyen_jours: 365, nb_satisfaites_similaires: 3 })).toBe(
      '12 mois (365 jours), moyenne des 3 demandes similaires satisfaites dans les douze derniers mois',
    );
    expect(delaiEnMots({ delai_moyen_jours: null, nb_satisfaites_similaires: 0 })).toContain('non connu');
    expect([pointsEnMots({ libelle: 'DALO', points: 40 }), pointsEnMots({ libelle: 'Refus', points: -5 }), pointsEnMots({ libelle: 'Ancienneté', points: 0 })]).toEqual([
      'DALO : +40 points',
      'Refus : \u22125 points',
      'Ancienneté : 0 point',
    ]);
  });
});
