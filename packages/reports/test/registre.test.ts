import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegistreSecret } from '../src/secret/registre.ts';
import { determinees } from './secret-independant.ts';

describe('RegistreSecret', () => {
  it('masks a small part and the smallest other part of its breakdown', () => {
    const r = new RegistreSecret();
    for (const [k, v] of Object.entries({ total: 20, a: 2, b: 8, c: 10 })) r.compte(k, v);
    r.somme('total', ['a', 'b', 'c']);
    r.masquer(3);
    expect(['total', 'a', 'b', 'c'].map((k) => r.valeur(k))).toEqual([20, null, null, 10]);
    expect(r.masque('a')).toBe('primaire');
    expect(r.masque('b')).toBe('secondaire');
  });

  it('publishes zeros and counts at the threshold', () => {
    const r = new RegistreSecret();
    for (const [k, v] of Object.entries({ total: 14, a: 0, b: 3, c: 11 })) r.compte(k, v);
    r.somme('total', ['a', 'b', 'c']);
    r.masquer(3);
    expect(['total', 'a', 'b', 'c'].map((k) => r.valeur(k))).toEqual([14, 0, 3, 11]);
  });

  it('protects a masked count through an equality of two sums (the flow of requests)', () => {
    // stock 2023 (47) + filed (10) = stock 2024 (22) + satisfied (33) + struck off (2): 2 is masked, and
    // 47 + 10 − 22 − 33 would give it back unless another term is masked.
    const r = new RegistreSecret();
    for (const [k, v] of Object.entries({ s0: 47, dep: 10, s1: 22, sat: 33, rad: 2 })) r.compte(k, v);
    r.egalite(['s0', 'dep'], ['s1', 'sat', 'rad']);
    r.masquer(3);
    expect(r.valeur('rad')).toBeNull();
    expect(['s0', 'dep', 's1', 'sat'].filter((k) => r.valeur(k) === null)).toHaveLength(1);
  });

  it('masks a count shared by several tables once, everywhere', () => {
    // The stock (2) is the total of two breakdowns: both see it masked, and each protects it.
    const r = new RegistreSecret();
    for (const [k, v] of Object.entries({ stock: 2, q1: 1, q2: 1, t1: 0, t2: 2, mut: 0, pa: 2 })) r.compte(k, v);
    r.compte('stock', 2);
    r.somme('stock', ['q1', 'q2']);
    r.somme('stock', ['t1', 't2']);
    r.somme('stock', ['mut', 'pa']);
    r.masquer(3);
    expect(r.valeur('stock')).toBeNull();
    expect(r.valeur('t2')).toBeNull();
    expect(r.valeur('pa')).toBeNull();
    expect(() => r.compte('stock', 3)).toThrow(/déjà calculé/);
  });

  it('refuses a key declared twice with two values, and an undeclared key', () => {
    const r = new RegistreSecret();
    r.compte('a', 1);
    expect(() => r.compte('a', 2)).toThrow(/deux fois/);
    expect(() => r.somme('a', ['b'])).toThrow(/non déclaré/);
  });

  it('on random demand tables, masks every small count and leaves none recoverable (independent elimination)', () => {
    const annee = fc.record({
      mut: fc.nat(30),
      pa: fc.nat(30),
      quartiles: fc.array(fc.nat(15), { minLength: 5, maxLength: 5 }),
      dep: fc.nat(30),
      sat: fc.nat(30),
    });
    fc.assert(
      fc.property(fc.array(annee, { minLength: 1, maxLength: 3 }), fc.integer({ min: 2, max: 11 }), (annees, seuil) => {
        const r = new RegistreSecret();
        const valeurs = new Map<string, number>();
        const compte = (k: string, v: number) => {
          r.compte(k, v);
          valeurs.set(k, v);
        };
        const egalites: [string[], string[]][] = [];
        let stockPrecedent: number | null = null;
        annees.forEach((a, y) => {
          // Stock partitions: mutations / first access, and quartiles (rescaled to the same total).
          const stock = a.mut + a.pa;
          compte(`stock:${y}`, stock);
          compte(`mut:${y}`, a.mut);
          compte(`pa:${y}`, a.pa);
          r.somme(`stock:${y}`, [`mut:${y}`, `pa:${y}`]);
          egalites.push([[`stock:${y}`], [`mut:${y}`, `pa:${y}`]]);
          const q = quartilesDe(stock, a.quartiles);
          q.forEach((v, i) => compte(`q${i}:${y}`, v));
          r.somme(`stock:${y}`, q.map((_, i) => `q${i}:${y}`));
          egalites.push([[`stock:${y}`], q.map((_, i) => `q${i}:${y}`)]);
          // Flow: stock(y−1) + filed = stock(y) + satisfied + struck off (struck off is what balances).
          if (stockPrecedent !== null) {
            const sat = a.sat;
            const dep = Math.max(a.dep, stock - stockPrecedent + sat);
            const rad = stockPrecedent + dep - stock - sat;
            compte(`dep:${y}`, dep);
            compte(`sat:${y}`, sat);
            compte(`rad:${y}`, rad);
            r.egalite([`stock:${y - 1}`, `dep:${y}`], [`stock:${y}`, `sat:${y}`, `rad:${y}`]);
            egalites.push([[`stock:${y - 1}`, `dep:${y}`], [`stock:${y}`, `sat:${y}`, `rad:${y}`]]);
          }
          stockPrecedent = stock;
        });
        r.masquer(seuil);
        const cles = [...valeurs.keys()];
        for (const k of cles) {
          const v = valeurs.get(k) as number;
          if (v > 0 && v < seuil) expect(r.valeur(k)).toBeNull();
          if (r.valeur(k) !== null) expect(r.valeur(k)).toBe(v);
        }
        const inconnues = new Map(cles.filter((k) => r.valeur(k) === null).map((k, i) => [k, i]));
        const equations = egalites.map(([g, d]) => {
          const e = new Map<number, number>();
          for (const [termes, signe] of [[g, 1], [d, -1]] as const)
            for (const k of termes) {
              const j = inconnues.get(k);
              if (j !== undefined) e.set(j, (e.get(j) ?? 0) + signe);
            }
          return e;
        });
        expect(determinees(equations, inconnues.size)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

/** Splits `total` in five parts proportional to the weights (the last takes the rest). */
function quartilesDe(total: number, poids: readonly number[]): number[] {
  const somme = poids.reduce((a, b) => a + b, 0) || 1;
  const parts = poids.slice(0, 4).map((p) => Math.floor((total * p) / somme));
  return [...parts, total - parts.reduce((a, b) => a + b, 0)];
}
