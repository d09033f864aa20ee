import { describe, expect, it } from 'vitest';
import { largeurDeTranche, tranches } from '../src/pages/cotation/histogramme.ts';

describe('bins of the notes histogram', () => {
  it('picks 1, 2, 5, 10… so that at most 20 bars are drawn', () => {
    expect(largeurDeTranche(0, 19)).toBe(1); // 20 bins of 1
    expect(largeurDeTranche(0, 20)).toBe(2); // 21 bins of 1 is too many: 11 of 2
    expect(largeurDeTranche(0, 95)).toBe(5); // 20 bins of 5
    expect(largeurDeTranche(-12, 150)).toBe(10); // −20…150: 17 bins of 10
  });

  it('sums the requests per bin and masks a bin holding a masked count', () => {
    // Notes 0…40: width 2 would give 21 bins, width 5 gives 9; the first bin holds 2 + 10 + 1 = 13.
    const t = tranches([
      { note: 0, demandes: 2 },
      { note: 3, demandes: 10 },
      { note: 4, demandes: 1 },
      { note: 7, demandes: 4 },
      { note: 40, demandes: null },
    ]);
    expect(t.map((x) => [x.libelle, x.demandes])).toEqual([
      ['0 à moins de 5', 13],
      ['5 à moins de 10', 4],
      ['10 à moins de 15', 0],
      ['15 à moins de 20', 0],
      ['20 à moins de 25', 0],
      ['25 à moins de 30', 0],
      ['30 à moins de 35', 0],
      ['35 à moins de 40', 0],
      ['40 à moins de 45', null],
    ]);
    expect(tranches([{ note: 2, demandes: 3 }, { note: 4, demandes: 1 }]).map((x) => x.libelle)).toEqual(['2', '3', '4']);
  });
});
