import type { IndicatorRow } from '../indicators/targets.ts';
import type { ContexteCaleol, DemandeCaleol, ExamenDemande, LogementCaleol } from './eligibilite.ts';
import { examinerDemande } from './eligibilite.ts';

/**
 * The list a CALEOL examines for one dwelling (issue 15, docs/caleol.md):
 * 1. the eligible requests (eligibilite.ts), ranked by the CIA's cotation note, best first; equal notes by
 *    seniority (earliest deposit first), then by NUR so that the order never depends on the database;
 * 2. the first `nombre_candidats` of them;
 * 3. the CIA's list rules: outside QPV, at least `q1_minimum_hors_qpv` candidates who count for the hors-QPV target
 *    (Q1 or relocated); on a dwelling of the State's priority contingent, at least
 *    `prioritaires_minimum_contingent_etat` priority candidates. A list that breaks a rule says so and takes the best
 *    eligible candidate who meets it, in place of the lowest-ranked candidate who does not (never one that an
 *    earlier rule needs); when no eligible candidate meets it, the rule stays broken and says why;
 * 4. the list in ranking order again: notes never increase down the list.
 * Each candidate carries its effect on the targets, as the indicator engine would count the proposal.
 */

export interface EffetsCandidat {
  /** Outside QPV, Q1 or relocated: would count for the hors-QPV target (once the lease is signed). */
  readonly hors_qpv_q1: boolean;
  /** In QPV, quartiles 2–4: would count for the QPV target (a proposal). */
  readonly qpv_hors_q1: boolean;
  /** DALO or priority: would count for the contingent's priority share (a proposal). */
  readonly prioritaires: boolean;
  readonly mutations: boolean;
  readonly travailleurs_essentiels: boolean;
}

export function effetsCandidat(d: DemandeCaleol, q1: boolean | null, l: Pick<LogementCaleol, 'en_qpv'>): EffetsCandidat {
  return {
    hors_qpv_q1: !l.en_qpv && (q1 === true || d.relogement_anru),
    // A household whose quartile is unknown counts for no quartile, like in the engine.
    qpv_hors_q1: l.en_qpv && q1 === false,
    prioritaires: d.dalo || d.prioritaire,
    mutations: d.mutation,
    travailleurs_essentiels: d.travailleur_essentiel,
  };
}

export const REGLES_LISTE = ['q1_hors_qpv', 'prioritaire_contingent_etat'] as const;
export type RegleListe = (typeof REGLES_LISTE)[number];

export interface CandidatCaleol {
  /** Place in the list (1 = first). */
  readonly rang: number;
  /** Place among every eligible request (the ranking before the list rules). */
  readonly rang_classement: number;
  readonly demande: DemandeCaleol;
  readonly examen: ExamenDemande;
  readonly effets: EffetsCandidat;
  /** The rule that brought the candidate in, in place of a better-ranked one; null when ranked in. */
  readonly ajoute_par: RegleListe | null;
}

export interface Remplacement {
  readonly sort: string;
  readonly entre: string;
}

export interface BilanRegle {
  readonly regle: RegleListe;
  readonly minimum: number;
  /** Candidates meeting it in the list of the ranking alone. */
  readonly avant: number;
  /** In the final list. */
  readonly apres: number;
  readonly respectee: boolean;
  readonly remplacements: readonly Remplacement[];
  /** In French: what the list did, or why it could not. */
  readonly message: string;
}

export interface ListeCaleol {
  readonly candidats: readonly CandidatCaleol[];
  readonly regles: readonly BilanRegle[];
  /** Eligible requests, and requests examined (active at the date, typology, commune and PMR already met). */
  readonly eligibles: number;
  readonly examinees: number;
}

/** Note descending, then deposit ascending, then NUR. */
export function comparerCandidats(a: Pick<DemandeCaleol, 'note' | 'date_depot' | 'nur'>, b: Pick<DemandeCaleol, 'note' | 'date_depot' | 'nur'>): number {
  if (a.note !== b.note) return b.note - a.note;
  if (a.date_depot !== b.date_depot) return a.date_depot < b.date_depot ? -1 : 1;
  return a.nur < b.nur ? -1 : a.nur > b.nur ? 1 : 0;
}

interface Classe {
  readonly demande: DemandeCaleol;
  readonly examen: ExamenDemande;
  readonly effets: EffetsCandidat;
  readonly rang_classement: number;
}

interface RegleActive {
  readonly regle: RegleListe;
  readonly minimum: number;
  readonly satisfait: (c: Classe) => boolean;
}

function reglesApplicables(l: LogementCaleol, ctx: ContexteCaleol): RegleActive[] {
  const p = ctx.parametres;
  const out: RegleActive[] = [];
  if (!l.en_qpv && p.q1_minimum_hors_qpv > 0) out.push({ regle: 'q1_hors_qpv', minimum: p.q1_minimum_hors_qpv, satisfait: (c) => c.effets.hors_qpv_q1 });
  if (l.type_contingent === 'etat_prioritaires' && p.prioritaires_minimum_contingent_etat > 0) {
    out.push({ regle: 'prioritaire_contingent_etat', minimum: p.prioritaires_minimum_contingent_etat, satisfait: (c) => c.effets.prioritaires });
  }
  return out;
}

const QUI: Record<RegleListe, [string, string]> = {
  q1_hors_qpv: ['candidat du premier quartile (ou relogé)', 'candidats du premier quartile (ou relogés)'],
  prioritaire_contingent_etat: ['candidat prioritaire', 'candidats prioritaires'],
};
const qui = (r: RegleListe, n: number) => `${n} ${QUI[r][n > 1 ? 1 : 0]}`;

/** Examines every request, ranks the eligible ones and composes the list under the CIA's rules. */
export function composerListe(demandes: readonly DemandeCaleol[], l: LogementCaleol, ctx: ContexteCaleol): ListeCaleol {
  const eligibles: Classe[] = [];
  for (const d of [...demandes].sort(comparerCandidats)) {
    const examen = examinerDemande(d, l, ctx);
    if (examen.eligible) eligibles.push({ demande: d, examen, effets: effetsCandidat(d, examen.q1, l), rang_classement: eligibles.length + 1 });
  }
  const n = ctx.parametres.nombre_candidats;
  const liste: Classe[] = eligibles.slice(0, n);
  const ajoutePar = new Map<string, RegleListe>();
  const bilans: BilanRegle[] = [];
  const regles = reglesApplicables(l, ctx);
  regles.forEach((regle, i) => {
    const avant = liste.filter(regle.satisfait).length;
    const remplacements: Remplacement[] = [];
    const precedentes = regles.slice(0, i);
    let manque = false;
    while (liste.filter(regle.satisfait).length < regle.minimum) {
      const entrant = eligibles.find((c) => regle.satisfait(c) && !liste.includes(c));
      if (!entrant) {
        manque = true;
        break;
      }
      // The lowest-ranked candidate who does not meet the rule, was not brought in by a rule, and whose departure
      // leaves every earlier rule met.
      const sortant = [...liste]
        .reverse()
        .find(
          (c) =>
            !regle.satisfait(c) &&
            !ajoutePar.has(c.demande.nur) &&
            precedentes.every((p) => !p.satisfait(c) || liste.filter(p.satisfait).length > p.minimum),
        );
      if (liste.length < n) liste.push(entrant);
      else if (sortant) {
        liste.splice(liste.indexOf(sortant), 1, entrant);
        remplacements.push({ sort: sortant.demande.nur, entre: entrant.demande.nur });
      } else {
        manque = true;
        break;
      }
      ajoutePar.set(entrant.demande.nur, regle.regle);
    }
    const apres = liste.filter(regle.satisfait).length;
    const respectee = apres >= regle.minimum;
    const exigence = regle.regle === 'q1_hors_qpv' ? 'hors QPV' : 'sur le contingent prioritaire de l’État';
    let message: string;
    if (avant >= regle.minimum) message = `Règle respectée : ${qui(regle.regle, avant)} dans la liste (au moins ${regle.minimum} ${exigence}).`;
    else if (respectee)
      message = `La liste du classement comptait ${qui(regle.regle, avant)} pour ${regle.minimum} exigé${regle.minimum > 1 ? 's' : ''} ${exigence} : ${remplacements
        .map((r) => `${r.entre} remplace ${r.sort}`)
        .join(', ')}${remplacements.length === 0 ? 'candidat ajouté' : ''}.`;
    else
      message = `Règle non respectée : ${qui(regle.regle, apres)} pour ${regle.minimum} exigé${regle.minimum > 1 ? 's' : ''} ${exigence}${
        manque ? ', et aucun autre candidat éligible ne la remplit' : ''
      }.`;
    bilans.push({ regle: regle.regle, minimum: regle.minimum, avant, apres, respectee, remplacements, message });
  });
  liste.sort((a, b) => a.rang_classement - b.rang_classement);
  return {
    candidats: liste.map((c, i) => ({ ...c, rang: i + 1, ajoute_par: ajoutePar.get(c.demande.nur) ?? null })),
    regles: bilans,
    eligibles: eligibles.length,
    examinees: demandes.length,
  };
}

/** The contingent's priority share against its target for the year: the gap a list can help close. */
export interface EcartContingent {
  readonly contingent: string;
  readonly periode: string;
  readonly numerateur: number;
  readonly denominateur: number;
  readonly taux: number | null;
  readonly cible: number | null;
  readonly ecart: number | null;
  /**
   * Priority proposals still needed, from now, for the share to reach its target if every further proposal were
   * to a priority household: the least n with (num + n) ÷ (den + n) ≥ target; 0 when met, null without target.
   */
  readonly propositions_prioritaires_manquantes: number | null;
}

export function ecartDuContingent(lignes: readonly IndicatorRow[], contingent: string, annee: number): EcartContingent {
  const periode = String(annee);
  const r = lignes.find((x) => x.indicateur === 'prioritaires' && x.perimetre_type === 'contingent' && x.perimetre_id === contingent && x.periode === periode);
  const numerateur = r?.numerateur ?? 0;
  const denominateur = r?.denominateur ?? 0;
  const cible = r?.cible ?? null;
  let manquantes: number | null = null;
  if (cible !== null) {
    if (cible >= 1) manquantes = denominateur - numerateur;
    else {
      // (num + n) ÷ (den + n) ≥ c  ⇔  n ≥ (c·den − num) ÷ (1 − c); in integers of 1/10 000 to avoid binary fractions.
      const c = Math.round(cible * 10_000);
      const besoin = c * denominateur - 10_000 * numerateur;
      manquantes = besoin <= 0 ? 0 : Math.ceil(besoin / (10_000 - c));
    }
  }
  return { contingent, periode, numerateur, denominateur, taux: r?.taux ?? null, cible, ecart: r?.ecart ?? null, propositions_prioritaires_manquantes: manquantes };
}
