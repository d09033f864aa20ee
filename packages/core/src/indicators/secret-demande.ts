import type { DemandIndicatorId } from './declarations.ts';
import { MODALITES_MOTIF_REFUS, MODALITES_QUARTILE, MODALITES_TYPOLOGIE } from './declarations.ts';
import { parsePeriode } from './periods.ts';
import type { DemandRow, LimitesDeLAnnee } from './results.ts';
import type { Masque } from './secret.ts';
import { RegistreSecret } from './secret-registre.ts';

/**
 * Statistical secrecy of the demand side (DOMAIN.md "Statistical secrecy") — the one algorithm behind the API's
 * `/api/demande` for the roles that read published tables only, the web page and its exports (which show what the
 * API sends) and the bilan's demand and allocation tables (Word, PDF, Excel). Issue 11 merged the two that existed
 * (a row-by-row rule in the server, a registry of counts in the bilan) into this one, the stricter of the two:
 *
 * - every published count of households is ONE cell, identified by what it counts (`clesDemande`): the stock of
 *   requests active on a day, the requests filed, satisfied or struck off, the leases signed, the proposals and
 *   refusals of an interval, with their breakdowns. The same count printed in several rows (the stock is the
 *   numerator of `demandes_actives`, the denominator of the shares by quartile, of mutations…) is masked in all of
 *   them or in none;
 * - the equations a reader can write between them: each breakdown sums to its whole (quartiles, typologies,
 *   mutation / first access, refusal motives, refusals / other proposals); a year is the sum of its semesters and
 *   the twelve months to 30 June N are the second semester of N−1 plus the first of N; the flow of requests,
 *   stock on the eve of an interval + filed = stock at its end + satisfied + struck off;
 * - the years are masked together (all the years of the store, `anneesDuSecret` in packages/data): a cell shared by
 *   two years' tables (a stock on 31 December, a semester inside a twelve-month window) is masked alike in both;
 * - primary rule: 0 < count < seuil; then secondary masking and the exact audit (RegistreSecret).
 *
 * A row is published only when all its cells are: a share needs its numerator and denominator, a ratio (tension)
 * its requests and its leases, the mean waiting time its number of satisfied requests (the sum of days counts no
 * household). The quartile limits computed from fewer than `seuil` requests are masked.
 */

/** The flows of an interval that are counts of households. */
export type MesureFlux = 'dep' | 'sat' | 'rad' | 'baux' | 'baux_mut' | 'baux_pa' | 'baux_q' | 'baux_t' | 'refus' | 'refus_m' | 'prop' | 'prop_autres';

/** The keys of the cells: what each count counts, whatever row prints it. Dates ISO. */
export const clesDemande = {
  stock: (jour: string) => `stock:${jour}`,
  stockMutation: (jour: string) => `stock_mut:${jour}`,
  stockPremierAcces: (jour: string) => `stock_pa:${jour}`,
  stockQuartile: (jour: string, q: string) => `stock_q:${jour}:${q}`,
  stockTypologie: (jour: string, t: string) => `stock_t:${jour}:${t}`,
  flux: (mesure: MesureFlux, debut: string, fin: string, modalite = '') => `${mesure}:${debut}:${fin}${modalite === '' ? '' : `:${modalite}`}`,
} as const;

const fin = (y: number) => `${y}-12-31`;
const an = (mesure: MesureFlux, y: number, modalite = '') => clesDemande.flux(mesure, `${y}-01-01`, `${y}-12-31`, modalite);

/** The keys of the calendar year Y (what the bilan prints): the stock on 31 December, the flows of the year. */
export const clesAnneeCivile = {
  stock: (y: number) => clesDemande.stock(fin(y)),
  stockMutation: (y: number) => clesDemande.stockMutation(fin(y)),
  stockPremierAcces: (y: number) => clesDemande.stockPremierAcces(fin(y)),
  stockQuartile: (y: number, q: string) => clesDemande.stockQuartile(fin(y), q),
  stockTypologie: (y: number, t: string) => clesDemande.stockTypologie(fin(y), t),
  deposees: (y: number) => an('dep', y),
  satisfaites: (y: number) => an('sat', y),
  radiees: (y: number) => an('rad', y),
  baux: (y: number) => an('baux', y),
  bauxMutation: (y: number) => an('baux_mut', y),
  bauxPremierAcces: (y: number) => an('baux_pa', y),
  bauxQuartile: (y: number, q: string) => an('baux_q', y, q),
  bauxTypologie: (y: number, t: string) => an('baux_t', y, t),
  refus: (y: number) => an('refus', y),
  refusMotif: (y: number, m: string) => an('refus_m', y, m),
} as const;

/** The engine's demand side of one year (`IndicatorResults.demande` and `.limites`). */
export interface DemandeDeLAnnee {
  readonly annee: number;
  readonly demande: readonly DemandRow[];
  readonly limites: readonly LimitesDeLAnnee[];
}

/** A demand row as published: its counts and value null when masked, `secret` saying why. */
export interface LigneDemandePubliee extends Omit<DemandRow, 'numerateur' | 'denominateur' | 'valeur'> {
  readonly numerateur: number | null;
  readonly denominateur: number | null;
  readonly valeur: number | null;
  readonly secret: Masque | null;
}

export interface DemandePubliee {
  readonly annee: number;
  readonly demande: readonly LigneDemandePubliee[];
  readonly limites: readonly LimitesDeLAnnee[];
}

export interface SecretDeLaDemande {
  /** The cells, masked: `valeur(cle)` is the published count or null, `masque(cle)` why (keys of `clesDemande`). */
  readonly registre: RegistreSecret;
  /** The published demand side of one of the years. */
  annee(annee: number): DemandePubliee;
}

/** The cells a row prints: its numerator's, its denominator's and the complement a share reveals. */
interface CellulesDeLaLigne {
  readonly comptes: readonly (readonly [cle: string, valeur: number])[];
}

function cellulesDeLaLigne(r: DemandRow): CellulesDeLaLigne {
  const p = parsePeriode(r.periode);
  if (!p) throw new RangeError(`période inconnue dans la demande : ${r.periode}`);
  const jour = p.fin;
  const flux = (mesure: MesureFlux, modalite = '') => clesDemande.flux(mesure, p.debut, p.fin, modalite);
  const den = r.denominateur ?? 0;
  const cellules = (): (readonly [string, number])[] => {
    const k = clesDemande;
    switch (r.indicateur as DemandIndicatorId) {
      case 'demandes_actives':
        return [[k.stock(jour), r.numerateur]];
      case 'demandes_deposees':
        return [[flux('dep'), r.numerateur]];
      case 'demandes_satisfaites':
        return [[flux('sat'), r.numerateur]];
      case 'demandes_radiees':
        return [[flux('rad'), r.numerateur]];
      case 'quartile_demande':
        return [[k.stockQuartile(jour, r.modalite), r.numerateur], [k.stock(jour), den]];
      case 'quartile_attributions':
        return [[flux('baux_q', r.modalite), r.numerateur], [flux('baux'), den]];
      case 'mutations_demande':
        return [[k.stockMutation(jour), r.numerateur], [k.stock(jour), den], [k.stockPremierAcces(jour), den - r.numerateur]];
      case 'mutations_attributions':
        return [[flux('baux_mut'), r.numerateur], [flux('baux'), den], [flux('baux_pa'), den - r.numerateur]];
      case 'tension_typologie':
        return r.modalite === ''
          ? [[k.stock(jour), r.numerateur], [flux('baux'), den]]
          : [[k.stockTypologie(jour, r.modalite), r.numerateur], [flux('baux_t', r.modalite), den]];
      case 'tension_quartile':
        return r.modalite === ''
          ? [[k.stock(jour), r.numerateur], [flux('baux'), den]]
          : [[k.stockQuartile(jour, r.modalite), r.numerateur], [flux('baux_q', r.modalite), den]];
      case 'delai_attente_satisfaites':
        // The numerator is a sum of days: only the number of satisfied requests counts households.
        return [[flux('sat'), den]];
      case 'refus_par_motif':
        return r.modalite === ''
          ? [[flux('refus'), r.numerateur], [flux('prop'), den], [flux('prop_autres'), den - r.numerateur]]
          : [[flux('refus_m', r.modalite), r.numerateur], [flux('refus'), den]];
    }
  };
  return { comptes: cellules() };
}

/** The day before an ISO date. */
function veille(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Flow measures with their breakdowns: the part of a key before its interval, and the modalities. */
const FLUX_VENTILES: readonly (readonly [MesureFlux, readonly string[]])[] = [
  ['dep', ['']],
  ['sat', ['']],
  ['rad', ['']],
  ['baux', ['']],
  ['baux_mut', ['']],
  ['baux_pa', ['']],
  ['baux_q', MODALITES_QUARTILE],
  ['baux_t', MODALITES_TYPOLOGIE],
  ['refus', ['']],
  ['refus_m', MODALITES_MOTIF_REFUS],
  ['prop', ['']],
  ['prop_autres', ['']],
];

/**
 * Declares the demand side of the given years in one registry, with its equations, and masks it with `seuil`
 * (`secret_statistique`). The years must be all those published together (see the header).
 */
export function secretDeLaDemande(annees: readonly DemandeDeLAnnee[], seuil: number): SecretDeLaDemande {
  const reg = new RegistreSecret();
  const jours = new Set<string>();
  const intervalles = new Map<string, { debut: string; fin: string }>();
  const lignes = new Map<number, { row: DemandRow; cles: string[] }[]>();
  for (const { annee, demande } of annees) {
    const list: { row: DemandRow; cles: string[] }[] = [];
    for (const row of demande) {
      const { comptes } = cellulesDeLaLigne(row);
      for (const [cle, valeur] of comptes) reg.compte(cle, valeur);
      list.push({ row, cles: comptes.map(([cle]) => cle) });
      const p = parsePeriode(row.periode);
      if (p) {
        jours.add(p.fin);
        intervalles.set(`${p.debut}:${p.fin}`, { debut: p.debut, fin: p.fin });
      }
    }
    lignes.set(annee, list);
  }

  const k = clesDemande;
  // A sum is written only when all its terms were published somewhere (a term never published is not known to a reader).
  const somme = (total: string, parties: readonly string[]) => {
    if (reg.has(total) && parties.length > 0 && parties.every((c) => reg.has(c))) reg.somme(total, parties);
  };
  for (const jour of jours) {
    somme(k.stock(jour), MODALITES_QUARTILE.map((q) => k.stockQuartile(jour, q)));
    somme(k.stock(jour), MODALITES_TYPOLOGIE.map((t) => k.stockTypologie(jour, t)));
    somme(k.stock(jour), [k.stockMutation(jour), k.stockPremierAcces(jour)]);
  }
  for (const { debut, fin: f } of intervalles.values()) {
    const flux = (mesure: MesureFlux, modalite = '') => k.flux(mesure, debut, f, modalite);
    somme(flux('baux'), MODALITES_QUARTILE.map((q) => flux('baux_q', q)));
    somme(flux('baux'), MODALITES_TYPOLOGIE.map((t) => flux('baux_t', t)));
    somme(flux('baux'), [flux('baux_mut'), flux('baux_pa')]);
    somme(flux('refus'), MODALITES_MOTIF_REFUS.map((m) => flux('refus_m', m)));
    somme(flux('prop'), [flux('refus'), flux('prop_autres')]);
    // The flow of requests over the interval, from the stock on its eve.
    const gauche = [k.stock(veille(debut)), flux('dep')];
    const droite = [k.stock(f), flux('sat'), flux('rad')];
    if ([...gauche, ...droite].every((c) => reg.has(c))) reg.egalite(gauche, droite);
  }
  // Periods: the year = S1 + S2; the twelve months to 30 June N = S2 of N−1 + S1 of N.
  const anneesVues = [...new Set(annees.map((a) => a.annee))];
  for (const y of anneesVues) {
    for (const [mesure, modalites] of FLUX_VENTILES) {
      for (const m of modalites) {
        const s1 = k.flux(mesure, `${y}-01-01`, `${y}-06-30`, m);
        somme(k.flux(mesure, `${y}-01-01`, `${y}-12-31`, m), [s1, k.flux(mesure, `${y}-07-01`, `${y}-12-31`, m)]);
        somme(k.flux(mesure, `${y - 1}-07-01`, `${y}-06-30`, m), [k.flux(mesure, `${y - 1}-07-01`, `${y - 1}-12-31`, m), s1]);
      }
    }
  }
  reg.masquer(seuil);

  const masquerLimites = (l: LimitesDeLAnnee): LimitesDeLAnnee =>
    seuil > 1 && l.demandes > 0 && l.demandes < seuil
      ? { ...l, q1: null, mediane: null, q3: null, seuil_applique: l.origine_seuil === 'calcule' ? null : l.seuil_applique }
      : l;
  return {
    registre: reg,
    annee(annee: number): DemandePubliee {
      const source = annees.find((a) => a.annee === annee);
      const list = lignes.get(annee);
      if (!source || !list) throw new RangeError(`année ${annee} absente du secret de la demande (années : ${anneesVues.join(', ')})`);
      const demande = list.map(({ row, cles }): LigneDemandePubliee => {
        const masques = cles.map((c) => reg.masque(c));
        const secret: Masque | null = masques.includes('primaire') ? 'primaire' : masques.includes('secondaire') ? 'secondaire' : null;
        return secret === null ? { ...row, secret } : { ...row, numerateur: null, denominateur: null, valeur: null, secret };
      });
      return { annee, demande, limites: source.limites.map(masquerLimites) };
    },
  };
}
