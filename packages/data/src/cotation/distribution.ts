import type { DistributionNotes, DistributionPubliee, Grille, Portee } from '@mixite/core';
import { distributionExacte, publierDistribution } from '@mixite/core';
import type { Store } from '../store/store.ts';
import type { OptionsCotation } from './contexte.ts';
import { avec, contexte, reference } from './contexte.ts';
import { planCotation } from './cotation-sql.ts';

/** The distribution of a grid's notes over the active requests, exact or under statistical secrecy. */

/** The distribution of the notes: histogram, summary and how often each line counts, per population. */
export async function distributionDesNotes(store: Store, grille: Grille, options: OptionsCotation = {}): Promise<DistributionNotes> {
  return (await distributionEtGroupes(store, grille, options)).distribution;
}

/**
 * The distribution as the viewer reads it (issue 10): exact, or with the statistical secrecy of the CIA's settings
 * (`secret_statistique`) for the roles that read published tables only (core/src/cotation/secret.ts).
 */
export async function distributionPubliee(store: Store, grille: Grille, options: OptionsCotation & { readonly secret: boolean }): Promise<DistributionPubliee> {
  const { distribution, groupes, explications, seuil } = await distributionEtGroupes(store, grille, options);
  if (!options.secret) return distributionExacte(distribution);
  return publierDistribution(
    distribution,
    groupes.map((g) => ({ portee: g.portee, centiemes: g.centiemes, masque: BigInt(g.masque), n: g.n })),
    explications,
    seuil,
  );
}

async function distributionEtGroupes(store: Store, grille: Grille, options: OptionsCotation) {
  const ctx = await contexte(store, options, [grille]);
  const plan = planCotation(grille, ctx.sql);
  // One pass: the (population, note, explanation) combinations are few; the rest is arithmetic on them.
  const groupes = await store.all<{ portee: Portee; centiemes: number; masque: string; n: number }>(
    `${avec(ctx, plan, '')}SELECT ${plan.porteeSql('_mutation')} AS portee, CAST(centiemes AS DOUBLE) AS centiemes, CAST(masque AS VARCHAR) AS masque,
       CAST(count(*) AS INTEGER) AS n FROM ${plan.notes} GROUP BY ALL`,
    ctx.parametres,
  );
  const portees = [...new Set(groupes.map((g) => g.portee))].sort();
  const classes: DistributionNotes['classes'][number][] = [];
  const resume: DistributionNotes['resume'][number][] = [];
  const frequences: DistributionNotes['frequences'][number][] = [];
  for (const portee of portees) {
    const lignes = groupes.filter((g) => g.portee === portee);
    const parNote = new Map<number, number>();
    for (const g of lignes) parNote.set(g.centiemes, (parNote.get(g.centiemes) ?? 0) + g.n);
    const notes = [...parNote].sort((a, b) => a[0] - b[0]);
    for (const [c, n] of notes) classes.push({ portee, note: c / 100, demandes: n });
    const total = notes.reduce((s, [, n]) => s + n, 0);
    const somme = notes.reduce((s, [c, n]) => s + c * n, 0);
    resume.push({
      portee,
      demandes: total,
      moyenne: total === 0 ? null : somme / total / 100,
      minimum: notes.length === 0 ? null : (notes[0]?.[0] ?? 0) / 100,
      mediane: medianeDeLHistogramme(notes),
      maximum: notes.length === 0 ? null : (notes.at(-1)?.[0] ?? 0) / 100,
    });
    const ids = plan.explications.find((e) => e.portee === portee)?.ids ?? [];
    const comptes = new Map<string, number>();
    for (const g of lignes) {
      const masque = BigInt(g.masque);
      ids.forEach((id, i) => {
        if ((masque & (1n << BigInt(i))) !== 0n) comptes.set(id, (comptes.get(id) ?? 0) + g.n);
      });
    }
    const tri = [...comptes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [id, demandes] of tri) frequences.push({ portee, id, demandes });
  }
  const distribution: DistributionNotes = { grille: reference(grille), date: ctx.date, classes, resume, frequences };
  return { distribution, groupes, explications: plan.explications, seuil: ctx.config.secret_statistique };
}

/** The median of a histogram of notes in hundredths, interpolated like DuckDB's quantile_cont. */
function medianeDeLHistogramme(notes: readonly (readonly [number, number])[]): number | null {
  const total = notes.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const valeurA = (rang: number) => {
    let cumul = 0;
    for (const [c, n] of notes) {
      cumul += n;
      if (rang < cumul) return c;
    }
    return notes.at(-1)?.[0] ?? 0;
  };
  const position = (total - 1) / 2;
  const bas = valeurA(Math.floor(position));
  const haut = valeurA(Math.ceil(position));
  return (bas + (haut - bas) * (position - Math.floor(position))) / 100;
}

