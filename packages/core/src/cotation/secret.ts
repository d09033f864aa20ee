import type { Equation, Masque } from '../indicators/secret.ts';
import { cellulesDeterminees, masquageSecondaire } from '../indicators/secret.ts';
import type { Portee } from './grille.ts';
import type {
  ComparaisonGrilles,
  ComparaisonPubliee,
  DistributionNotes,
  DistributionPubliee,
  ImpactGrille,
  ImpactPublie,
  IndicateurImpact,
  Profil,
  ProfilPublie,
} from './resultats.ts';
import { INDICATEURS_IMPACT } from './resultats.ts';

/**
 * Statistical secrecy of the cotation results, for the role that reads published tables only (issue 10, item 1).
 * The rules are those of the indicator tables (core/src/indicators/secret.ts, whose equation machinery this reuses):
 * with s = secret_statistique,
 * - primary: a count between 1 and s − 1, or whose complement in its total is, is masked (zeros are published);
 * - secondary: published counts are tied by equations (the histogram sums to the total; each criterion's frequency
 *   is the sum of the (note, explanation) groups that contain it; typologies sum to `ensemble`), and more counts are
 *   masked until the exact audit (`cellulesDeterminees`) finds no masked small count — nor any small (note,
 *   explanation) group, which is never published — determined by the published ones.
 * Summary statistics that are not counts (mean, extremes, median) are not published: the extremes name the note of
 * the first and last household.
 *
 * What stops differencing BETWEEN requests is not here but in the route: the public role can only compute the
 * published grids at year ends (a fixed set of tables), because exact counts of arbitrary grids can always be
 * subtracted to isolate one household, whatever the minimum size of each count (docs/security.md).
 */

/** The (population, note, explanation) groups the engine counts: never published, they are the unknowns of the audit. */
export interface GroupeNotes {
  readonly portee: Portee;
  readonly centiemes: number;
  /** Bit i set: line ids[i] of the population's explanation counts. */
  readonly masque: bigint;
  readonly n: number;
}

/**
 * Above this many groups in one population, the criteria frequencies are withheld rather than audited: the exact
 * audit is cubic, and runs on the server's event loop (measured on the demo territory, 20 000 active requests:
 * 2 579 groups of the Rhône grid take about 1 s; the 6 514 of the Équilibre CIA grid 3.3 s, hence withheld).
 */
export const GROUPES_AUDITES_MAX = 3000;

/**
 * Masks `masked` until no sensitive cell (masked primarily, or hidden with a small value) is determined by the
 * published cells. `hidden` cells are never published. Returns false when it had to give up (then the caller masks all).
 */
function proteger(values: readonly number[], masked: (Masque | null)[], hidden: readonly boolean[], equations: readonly Equation[], seuil: number): boolean {
  const small = (n: number) => n > 0 && n < seuil;
  const inconnues = () => masked.map((m, i) => (m !== null || hidden[i] ? (m ?? 'secondaire') : null));
  // The one-equation rule applies to the equations between published cells (a hidden group alone in its bin is
  // the bin itself: masking the bin for it would over-mask).
  const publiees = equations.filter((eq) => ![eq.total, ...eq.parts].some((c) => hidden[c]));
  for (let tour = 0; tour < values.length + 1; tour++) {
    masquageSecondaire(values, masked, publiees);
    const fuites = cellulesDeterminees(inconnues(), equations).filter((c) => masked[c] === 'primaire' || (hidden[c] && small(values[c] as number)));
    if (fuites.length === 0) return true;
    let progres = false;
    for (const cell of fuites) {
      const candidats = equations
        .filter((eq) => eq.total === cell || eq.parts.includes(cell))
        .flatMap((eq) => [eq.total, ...eq.parts])
        .filter((c) => masked[c] === null && !hidden[c])
        .sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
      const choix = candidats.find((c) => (values[c] as number) > 0) ?? candidats[0];
      if (choix !== undefined) {
        masked[choix] = 'secondaire';
        progres = true;
        break;
      }
    }
    if (!progres) return false;
  }
  return false;
}

/** The distribution as the public role reads it. `groupes` are the engine's (population, note, explanation) counts. */
export function publierDistribution(
  exacte: DistributionNotes,
  groupes: readonly GroupeNotes[],
  explications: readonly { readonly portee: Portee; readonly ids: readonly string[] }[],
  seuil: number,
): DistributionPubliee {
  const classes: DistributionPubliee['classes'][number][] = [];
  const resume: DistributionPubliee['resume'][number][] = [];
  const frequences: DistributionPubliee['frequences'][number][] = [];
  const small = (n: number) => n > 0 && n < seuil;
  for (const r of exacte.resume) {
    const portee = r.portee;
    const total = r.demandes;
    const bins = exacte.classes.filter((c) => c.portee === portee);
    const freqs = exacte.frequences.filter((f) => f.portee === portee);
    const fins = groupes.filter((g) => g.portee === portee);
    const audite = fins.length <= GROUPES_AUDITES_MAX;
    const ids = explications.find((e) => e.portee === portee)?.ids ?? [];
    // Cells: 0 = total, then the bins, the frequencies, and the hidden groups.
    const values = [total, ...bins.map((b) => b.demandes), ...freqs.map((f) => f.demandes), ...(audite ? fins.map((g) => g.n) : [])];
    const iBin = (k: number) => 1 + k;
    const iFreq = (k: number) => 1 + bins.length + k;
    const iFin = (k: number) => 1 + bins.length + freqs.length + k;
    const hidden = values.map((_, i) => audite && i >= iFin(0));
    const masked: (Masque | null)[] = values.map((v, i) => (!hidden[i] && (small(v) || (i > 0 && small(total - v))) ? 'primaire' : null));
    // Without the audit, the frequencies are withheld: alone, the histogram only sums to the total.
    if (!audite) freqs.forEach((_, k) => (masked[iFreq(k)] = masked[iFreq(k)] ?? 'secondaire'));
    const equations: Equation[] = [{ total: 0, parts: bins.map((_, k) => iBin(k)) }];
    if (audite) {
      bins.forEach((b, k) => equations.push({ total: iBin(k), parts: fins.flatMap((g, j) => (g.centiemes === Math.round(b.note * 100) ? [iFin(j)] : [])) }));
      freqs.forEach((f, k) => {
        const bit = ids.indexOf(f.id);
        equations.push({ total: iFreq(k), parts: fins.flatMap((g, j) => (bit >= 0 && (g.masque & (1n << BigInt(bit))) !== 0n ? [iFin(j)] : [])) });
      });
    }
    if (masked[0] !== null || (seuil > 1 && !proteger(values, masked, hidden, equations, seuil))) {
      values.forEach((_, i) => (masked[i] = hidden[i] ? null : (masked[i] ?? 'secondaire')));
    }
    const montre = (i: number) => (masked[i] === null ? (values[i] as number) : null);
    bins.forEach((b, k) => classes.push({ portee, note: b.note, demandes: montre(iBin(k)), secret: masked[iBin(k)] ?? null }));
    freqs.forEach((f, k) => frequences.push({ portee, id: f.id, demandes: montre(iFreq(k)), secret: masked[iFreq(k)] ?? null }));
    resume.push({ portee, demandes: montre(0), moyenne: null, minimum: null, mediane: null, maximum: null });
  }
  return { grille: exacte.grille, date: exacte.date, secret_statistique: seuil, classes, resume, frequences };
}

type Mesure = 'effectif' | IndicateurImpact;

/**
 * Masks of one population's profiles across the typology lines (the last one, `ensemble`, is the sum of the others):
 * the head counts first, then each indicator with the head count's masks as a start.
 */
function masquesProfils(profils: readonly Profil[], seuil: number, effectifsMasques?: readonly (Masque | null)[]): Record<Mesure, (Masque | null)[]> {
  const small = (n: number) => n > 0 && n < seuil;
  const ensemble = profils.length - 1;
  const equations: Equation[] = [{ total: ensemble, parts: profils.map((_, i) => i).filter((i) => i !== ensemble) }];
  const hidden = profils.map(() => false);
  const tout = (masked: (Masque | null)[]) => masked.map((m) => m ?? 'secondaire');
  const effectifs = profils.map((p) => p.effectif);
  let effectif: (Masque | null)[] = effectifsMasques ? [...effectifsMasques] : effectifs.map((n) => (small(n) ? 'primaire' : null));
  if (seuil > 1 && !proteger(effectifs, effectif, hidden, equations, seuil)) effectif = tout(effectif);
  const out = { effectif } as Record<Mesure, (Masque | null)[]>;
  for (const indicateur of INDICATEURS_IMPACT) {
    const values = profils.map((p) => p.nombres[indicateur]);
    let masked: (Masque | null)[] = profils.map((p, i) => effectif[i] ?? (small(p.nombres[indicateur]) || small(p.effectif - p.nombres[indicateur]) ? 'primaire' : null));
    if (seuil > 1 && !proteger(values, masked, hidden, equations, seuil)) masked = tout(masked);
    out[indicateur] = masked;
  }
  return out;
}

function profilPublie(p: Profil, masques: Record<Mesure, (Masque | null)[]>, i: number): ProfilPublie {
  const visible = (m: Mesure) => masques[m][i] === null;
  return {
    effectif: visible('effectif') ? p.effectif : null,
    nombres: Object.fromEntries(INDICATEURS_IMPACT.map((k) => [k, visible(k) ? p.nombres[k] : null])) as Record<IndicateurImpact, number | null>,
    parts: Object.fromEntries(INDICATEURS_IMPACT.map((k) => [k, visible(k) ? p.parts[k] : null])) as Record<IndicateurImpact, number | null>,
  };
}

/** Lines in a fixed order with `ensemble` last, as the equations expect. */
const ordonner = (impact: ImpactGrille) => [...impact.lignes.filter((l) => l.typologie !== 'ensemble'), ...impact.lignes.filter((l) => l.typologie === 'ensemble')];

/** The comparison of two grids as the public role reads it. */
export function publierComparaison(exacte: ComparaisonGrilles, seuil: number): ComparaisonPubliee {
  const la = ordonner(exacte.a);
  const lb = ordonner(exacte.b);
  // The leases and the retained requests have (nearly) the same head counts: one mask for all three.
  const small = (n: number) => n > 0 && n < seuil;
  const effectifs = la.map((l, i) =>
    small(l.baux) || small(l.retenues.effectif) || small(lb[i]?.retenues.effectif ?? 0) ? ('primaire' as const) : null,
  );
  const m = {
    attributions: masquesProfils(
      la.map((l) => l.attributions),
      seuil,
      effectifs,
    ),
  };
  const communs = m.attributions.effectif;
  const masques = {
    attributions: m.attributions,
    demande: masquesProfils(
      la.map((l) => l.demande),
      seuil,
    ),
    a: masquesProfils(
      la.map((l) => l.retenues),
      seuil,
      communs,
    ),
    b: masquesProfils(
      lb.map((l) => l.retenues),
      seuil,
      communs,
    ),
  };
  const impact = (x: ImpactGrille, lignes: typeof la, cote: 'a' | 'b'): ImpactPublie => ({
    ...x,
    lignes: lignes.map((l, i) => ({
      typologie: l.typologie,
      baux: masques.attributions.effectif[i] === null ? l.baux : null,
      retenues: profilPublie(l.retenues, masques[cote], i),
      attributions: profilPublie(l.attributions, masques.attributions, i),
      demande: profilPublie(l.demande, masques.demande, i),
    })),
  });
  const a = impact(exacte.a, la, 'a');
  const b = impact(exacte.b, lb, 'b');
  const ecarts = exacte.ecarts.map((e) => {
    const va = a.lignes.find((l) => l.typologie === e.typologie)?.retenues.parts[e.indicateur] ?? null;
    const vb = b.lignes.find((l) => l.typologie === e.typologie)?.retenues.parts[e.indicateur] ?? null;
    return { ...e, a: va, b: vb, ecart: va === null || vb === null ? null : vb - va };
  });
  // The requests both grids retain: a count of its own, masked with the same rules.
  const ordreRec = la.map((l) => exacte.recouvrement.find((r) => r.typologie === l.typologie));
  const valeursRec = ordreRec.map((r) => r?.communes ?? 0);
  let masqueRec: (Masque | null)[] = ordreRec.map((r, i) => communs[i] ?? (small(r?.communes ?? 0) || small((r?.retenues ?? 0) - (r?.communes ?? 0)) ? 'primaire' : null));
  const eqRec: Equation[] = [{ total: la.length - 1, parts: la.map((_, i) => i).slice(0, -1) }];
  if (seuil > 1 && !proteger(valeursRec, masqueRec, la.map(() => false), eqRec, seuil)) masqueRec = masqueRec.map((x) => x ?? 'secondaire');
  const recouvrement = ordreRec.flatMap((r, i) =>
    r
      ? [
          {
            typologie: r.typologie,
            retenues: communs[i] === null ? r.retenues : null,
            communes: masqueRec[i] === null ? r.communes : null,
            part: masqueRec[i] === null && communs[i] === null ? r.part : null,
          },
        ]
      : [],
  );
  return { date: exacte.date, secret_statistique: seuil, a, b, ecarts, recouvrement };
}

/** Exact results in the published shape, for the roles that read them unmasked. */
export const distributionExacte = (d: DistributionNotes): DistributionPubliee => ({
  ...d,
  secret_statistique: null,
  classes: d.classes.map((c) => ({ ...c, secret: null })),
  frequences: d.frequences.map((f) => ({ ...f, secret: null })),
});

export const comparaisonExacte = (c: ComparaisonGrilles): ComparaisonPubliee => ({ ...c, secret_statistique: null });
