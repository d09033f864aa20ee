/**
 * The simulation's pseudo-random numbers: sfc32 (Small Fast Counter, 128-bit state) seeded through splitmix32.
 * Written here rather than taken from the demo generator: core depends on nothing, and a run must give the same draws
 * on every machine and in every worker thread — Math.random() cannot be seeded.
 */

/** splitmix32: spreads a seed (any 32-bit integer) over the generator's state words. */
function splitmix32(graine: number): () => number {
  let s = graine >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

export class Aleatoire {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(graine: number) {
    const init = splitmix32(graine);
    this.a = init();
    this.b = init();
    this.c = init();
    this.d = init();
    // Warm up: the first outputs of sfc32 still show the seed.
    for (let i = 0; i < 12; i++) this.suivant32();
  }

  private suivant32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  reel(): number {
    return this.suivant32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  entier(n: number): number {
    return Math.floor(this.reel() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.reel() < p;
  }

  /** Exponential with the given mean. */
  exponentielle(moyenne: number): number {
    return -Math.log(1 - this.reel()) * moyenne;
  }

  /** Standard normal (Box–Muller). */
  normale(): number {
    return Math.sqrt(-2 * Math.log(1 - this.reel())) * Math.cos(2 * Math.PI * this.reel());
  }

  /** Gamma(forme, 1) by Marsaglia and Tsang (forme < 1 through the boost forme + 1). */
  gamma(forme: number): number {
    if (!(forme > 0)) return 0;
    if (forme < 1) return this.gamma(forme + 1) * Math.pow(1 - this.reel(), 1 / forme);
    const d = forme - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normale();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.reel();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /** x rounded down or up at random, up with probability equal to its fractional part (mean x). */
  arrondi(x: number): number {
    if (!(x > 0)) return 0;
    const bas = Math.floor(x);
    return bas + (this.chance(x - bas) ? 1 : 0);
  }

  /** Poisson with mean λ (normal approximation above 50: the counts of a year are in the thousands). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 50) {
      const u1 = 1 - this.reel();
      const u2 = this.reel();
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
    }
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.reel();
    } while (p > l);
    return k - 1;
  }
}

/**
 * The seed of run `index` of a Monte-Carlo of seed `graine`: a hash of the pair, so that run k draws the same numbers
 * whichever worker thread computes it and however many runs there are (determinism of the output).
 */
export function graineDuTirage(graine: number, index: number): number {
  let h = Math.imul((graine >>> 0) ^ 0x85ebca6b, 0xc2b2ae35) >>> 0;
  h = Math.imul(h ^ (index + 0x27d4eb2f), 0x165667b1) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 12)) >>> 0;
}
