import { describe, expect, it } from 'vitest';
import type { ComparaisonGrilles, DistributionNotes, LigneImpact, Profil } from './resultats.ts';
import type { GroupeNotes } from './secret.ts';
import { publierComparaison, publierDistribution } from './secret.ts';

/**
 * Secrecy of the cotation results for the public role (issue 10). Hand-made groups; the check that no small group
 * can be recomputed is a brute force over every non-negative integer assignment, independent of the module's algebra.
 */

const ref = { nom: 'G', version: '1' };
const IDS = ['a', 'b'];

/** The exact distribution of hand-made (note, explanation) groups: bins by note, frequencies by bit. */
function exacte(groupes: readonly GroupeNotes[]): DistributionNotes {
  const total = groupes.reduce((s, g) => s + g.n, 0);
  const notes = [...new Set(groupes.map((g) => g.centiemes))].sort((x, y) => x - y);
  return {
    grille: ref,
    date: '2024-12-31',
    classes: notes.map((c) => ({ portee: 'toutes', note: c / 100, demandes: groupes.filter((g) => g.centiemes === c).reduce((s, g) => s + g.n, 0) })),
    resume: [{ portee: 'toutes', demandes: total, moyenne: 1, minimum: 0, mediane: 1, maximum: 3 }],
    frequences: IDS.map((id, i) => ({ portee: 'toutes' as const, id, demandes: groupes.filter((g) => (g.masque & (1n << BigInt(i))) !== 0n).reduce((s, g) => s + g.n, 0) })),
  };
}

/** Every value the group `k` can take, over the non-negative integer assignments that give the published numbers. */
function valeursPossibles(groupes: readonly GroupeNotes[], publiee: ReturnType<typeof publierDistribution>, k: number): Set<number> {
  const total = groupes.reduce((s, g) => s + g.n, 0);
  const out = new Set<number>();
  const n = groupes.length;
  const x = new Array<number>(n).fill(0);
  const total0 = publiee.resume[0]?.demandes ?? null;
  const essayer = (i: number, reste: number) => {
    if (i === n) {
      if (total0 !== null && reste !== 0) return;
      const ok =
        publiee.classes.every((c) => c.demandes === null || groupes.reduce((s, g, j) => s + (g.centiemes === Math.round(c.note * 100) ? (x[j] as number) : 0), 0) === c.demandes) &&
        publiee.frequences.every((f) => f.demandes === null || groupes.reduce((s, g, j) => s + ((g.masque & (1n << BigInt(IDS.indexOf(f.id)))) !== 0n ? (x[j] as number) : 0), 0) === f.demandes);
      if (ok) out.add(x[k] as number);
      return;
    }
    for (let v = 0; v <= reste; v++) {
      x[i] = v;
      essayer(i + 1, reste - v);
    }
  };
  essayer(0, total);
  return out;
}

describe('secrecy of a distribution of notes', () => {
  // 0: neither criterion; 1: a only; 2: b only; 3: both — 2 households, below the threshold 5.
  const groupes: GroupeNotes[] = [
    { portee: 'toutes', centiemes: 0, masque: 0n, n: 8 },
    { portee: 'toutes', centiemes: 100, masque: 1n, n: 6 },
    { portee: 'toutes', centiemes: 200, masque: 2n, n: 5 },
    { portee: 'toutes', centiemes: 300, masque: 3n, n: 2 },
  ];
  const publiee = publierDistribution(exacte(groupes), groupes, [{ portee: 'toutes', ids: IDS }], 5);

  it('masks the small bin, and publishes no count between 1 and 4 nor any whose complement is', () => {
    expect(publiee.classes.find((c) => c.note === 3)).toMatchObject({ demandes: null, secret: 'primaire' });
    const publies = [...publiee.classes.map((c) => c.demandes), ...publiee.frequences.map((f) => f.demandes)].filter((v): v is number => v !== null);
    for (const v of publies) expect(v === 0 || (v >= 5 && 21 - v >= 5)).toBe(true);
    // Summary statistics that are not counts are not published (the maximum would say a household has 3).
    expect(publiee.resume[0]).toEqual({ portee: 'toutes', demandes: 21, moyenne: null, minimum: null, mediane: null, maximum: null });
  });

  it('leaves the households meeting both criteria undetermined, whatever is combined (bins and frequencies)', () => {
    // Without masking the frequencies, a − (bin 1) = 8 − 6 = 2 would give them away.
    expect(valeursPossibles(groupes, publiee, 3).size).toBeGreaterThan(1);
    expect(valeursPossibles(groupes, publiee, 2).size).toBeGreaterThan(1);
  });

  it('publishes everything when no count is small', () => {
    const grands = groupes.map((g) => ({ ...g, n: g.n * 10 }));
    const p = publierDistribution(exacte(grands), grands, [{ portee: 'toutes', ids: IDS }], 5);
    expect(p.classes.map((c) => c.demandes)).toEqual([80, 60, 50, 20]);
    expect(p.frequences.map((f) => f.demandes)).toEqual([80, 70]);
  });
});

const profil = (effectif: number, q1: number, prioritaires: number, mutations: number, te: number): Profil => ({
  effectif,
  nombres: { q1, prioritaires, mutations, travailleurs_essentiels: te },
  parts: { q1: q1 / effectif, prioritaires: prioritaires / effectif, mutations: mutations / effectif, travailleurs_essentiels: te / effectif },
});

describe('secrecy of the impact of two grids', () => {
  const ligne = (typologie: LigneImpact['typologie'], p: Profil, d: Profil): LigneImpact => ({ typologie, baux: p.effectif, retenues: p, attributions: p, demande: d });
  const lignes: LigneImpact[] = [
    ligne('t1', profil(40, 20, 3, 10, 15), profil(400, 200, 100, 100, 100)),
    ligne('t2', profil(50, 25, 20, 20, 20), profil(500, 250, 200, 200, 200)),
    ligne('t3', profil(30, 15, 15, 15, 15), profil(300, 150, 150, 150, 150)),
    ligne('ensemble', profil(120, 60, 38, 45, 50), profil(1200, 600, 450, 450, 450)),
  ];
  const impact = { grille: ref, date: '2024-12-31', periode: { debut: '2024-01-01', fin: '2024-12-31' }, cibles: [], lignes };
  const comparaison: ComparaisonGrilles = {
    date: '2024-12-31',
    a: impact,
    b: impact,
    ecarts: lignes.map((l) => ({ typologie: l.typologie, indicateur: 'prioritaires' as const, a: l.retenues.parts.prioritaires, b: l.retenues.parts.prioritaires, ecart: 0 })),
    recouvrement: lignes.map((l) => ({ typologie: l.typologie, retenues: l.retenues.effectif, communes: l.retenues.effectif, part: 1 })),
  };
  const p = publierComparaison(comparaison, 11);

  it('masks 3 priority households of t1, and another typology so that the total does not give them back', () => {
    const prioritaires = p.a.lignes.map((l) => l.retenues.nombres.prioritaires);
    expect(prioritaires[0]).toBeNull();
    // t3 (15) is the smallest other part of 38 = t1 + t2 + t3.
    expect(prioritaires).toEqual([null, 20, null, 38]);
    expect(p.ecarts.map((e) => e.ecart)).toEqual([null, 0, null, 0]);
    // The other indicators and the demand are published: nothing small there.
    expect(p.a.lignes.map((l) => l.retenues.nombres.q1)).toEqual([20, 25, 15, 60]);
    expect(p.a.lignes.map((l) => l.demande.nombres.prioritaires)).toEqual([100, 200, 150, 450]);
  });
});
