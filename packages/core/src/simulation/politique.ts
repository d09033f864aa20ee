import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { Probleme } from '../erreurs.ts';
import { DonneesInvalidesError } from '../erreurs.ts';
import type { CheminYaml } from '../format/yaml-position.ts';
import { cheminTexte, positionYaml } from '../format/yaml-position.ts';
import { TYPES_CONTINGENT } from '../indicators/perimeters.ts';

z.config(z.locales.fr());

/**
 * An allocation policy as a file (issue 16): how candidates are ordered, how long a list is, and the CIA rules that
 * shape the lists. Read strictly: an unknown key is a typo that would silently leave a rule out, so it is refused
 * with its line and column, like a cotation grid (cotation/grille-texte.ts).
 */

export const ORDRES = ['pratique_observee', 'anciennete', 'tirage_au_sort', 'cotation'] as const;
export type OrdrePolitique = (typeof ORDRES)[number];

export const REGLES = ['q1_min_par_liste_hors_qpv', 'q2_q4_en_qpv', 'quotas_prioritaires'] as const;
const CLES_RACINE = ['nom', 'description', 'ordre', 'grille', 'taille_liste', 'tours_max', 'eligibilite', 'flux', 'regles'] as const;

/**
 * Whose contingent a vacancy falls to: `observe` = the contingent the dwelling had when it was let in the calibration
 * years (the observed mix); `conventions` = drawn from the year's reservation conventions of its bailleur (gestion
 * en flux, R441-5: each réservataire's share of the bailleur's yearly flow, the rest the bailleur's own).
 */
export const FLUX_POLITIQUE = ['observe', 'conventions'] as const;
export type FluxPolitique = (typeof FLUX_POLITIQUE)[number];
const CLES_ELIGIBILITE = ['communes_souhaitees'] as const;

const quota = z.number('une part entre 0 et 1 (ex. 0.25)').min(0, 'un quota ne peut pas être négatif : une part entre 0 et 1').max(1, 'une part au plus égale à 1 (100 %)');

const reglesSchema = z
  .strictObject({
    q1_min_par_liste_hors_qpv: z.number('un nombre entier de candidats').int('un nombre entier de candidats').min(0, 'un nombre de candidats ne peut pas être négatif').default(0),
    q2_q4_en_qpv: z.boolean('vrai ou faux (true/false)').default(false),
    quotas_prioritaires: z
      .partialRecord(z.enum(TYPES_CONTINGENT, `un type de contingent : ${TYPES_CONTINGENT.join(', ')}`), quota)
      .default({}),
  })
  .default({ q1_min_par_liste_hors_qpv: 0, q2_q4_en_qpv: false, quotas_prioritaires: {} });

export const politiqueSchema = z
  .strictObject({
    nom: z.string('un texte').trim().min(1, 'un nom non vide'),
    description: z.string('un texte').optional(),
    ordre: z.enum(ORDRES, `l’ordre des candidats : ${ORDRES.join(', ')}`),
    grille: z.string('le chemin d’un fichier de grille de cotation (YAML)').min(1).optional(),
    taille_liste: z.number('un nombre entier').int('un nombre entier').min(1, 'au moins 1 candidat par liste').max(10, 'au plus 10 candidats par liste').default(3),
    tours_max: z.number('un nombre entier').int('un nombre entier').min(1, 'au moins 1 tour').max(5, 'au plus 5 tours').default(2),
    eligibilite: z.strictObject({ communes_souhaitees: z.boolean('vrai ou faux (true/false)').default(false) }).default({ communes_souhaitees: false }),
    flux: z.enum(FLUX_POLITIQUE, `le contingent des logements libérés : observe (celui des attributions observées) ou conventions (les parts des conventions de réservation de l’année, gestion en flux)`).default('observe'),
    regles: reglesSchema,
  })
  .superRefine((p, ctx) => {
    if (p.ordre === 'cotation' && p.grille === undefined) ctx.addIssue({ code: 'custom', path: ['grille'], message: 'l’ordre « cotation » demande une grille : grille: chemin/vers/grille.yaml' });
    if (p.ordre !== 'cotation' && p.grille !== undefined) ctx.addIssue({ code: 'custom', path: ['grille'], message: `une grille n’est lue qu’avec l’ordre « cotation » (ordre lu : ${p.ordre})` });
    if (p.regles.q1_min_par_liste_hors_qpv > p.taille_liste) {
      ctx.addIssue({ code: 'custom', path: ['regles', 'q1_min_par_liste_hors_qpv'], message: `plus de candidats du premier quartile (${p.regles.q1_min_par_liste_hors_qpv}) que de places dans la liste (taille_liste : ${p.taille_liste})` });
    }
  });

export type PolitiqueSimulation = z.output<typeof politiqueSchema>;

type Chemin = CheminYaml;

function clesPossibles(chemin: Chemin): readonly string[] {
  if (chemin.length === 0) return CLES_RACINE;
  if (chemin[0] === 'regles' && chemin.length === 1) return REGLES;
  if (chemin[0] === 'eligibilite') return CLES_ELIGIBILITE;
  return [];
}

/** A policy file that breaks the rules: every problem with its file, line, column and key path. */
export class PolitiqueInvalideError extends DonneesInvalidesError {
  constructor(readonly fichier: string, problemes: readonly Probleme[]) {
    super(`politique « ${fichier} » invalide : ${problemes.map(formaterProblemePolitique).join(' ; ')}`, { problemes, code: 'politique_invalide' });
  }
}

export const formaterProblemePolitique = (p: Probleme): string =>
  `${p.fichier ?? ''}${p.ligne ? `, ligne ${p.ligne}` : ''}${p.colonne ? `, colonne ${p.colonne}` : ''} (${p.chemin ?? ''}) : ${p.message}`;

/** Checks a policy written in YAML; the problems are located in the text. */
export function verifierPolitique(texte: string, fichier: string): { ok: true; politique: PolitiqueSimulation } | { ok: false; problemes: Probleme[] } {
  const lignes = new LineCounter();
  const doc = parseDocument(texte, { lineCounter: lignes, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problemes: doc.errors.map((e) => {
        const pos = lignes.linePos(e.pos[0]);
        const detail = e.code === 'DUPLICATE_KEY' ? 'clé répétée dans le même objet' : e.code === 'TAB_AS_INDENT' ? 'tabulation dans l’indentation' : (e.message.split('\n')[0] ?? '');
        return { fichier, ligne: pos.line, colonne: pos.col, chemin: '(texte)', message: `YAML illisible : ${detail}` };
      }),
    };
  }
  const document: unknown = doc.toJS({ maxAliasCount: 100 });
  if (document === null || document === undefined || typeof document !== 'object' || Array.isArray(document)) {
    return { ok: false, problemes: [{ fichier, ligne: null, colonne: null, chemin: '(racine)', message: 'la politique est vide ou n’est pas un objet : nom et ordre sont attendus' }] };
  }
  const resultat = politiqueSchema.safeParse(document);
  if (resultat.success) return { ok: true, politique: resultat.data };
  const problemes: Probleme[] = [];
  for (const issue of resultat.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const possibles = clesPossibles(issue.path);
      const genre = issue.path.length === 1 && issue.path[0] === 'regles' ? 'règle inconnue' : 'clé inconnue';
      for (const key of issue.keys) {
        const chemin = [...issue.path, key];
        problemes.push({ fichier, ...positionYaml(doc, lignes, chemin, true), chemin: cheminTexte(chemin), message: `${genre} « ${key} »${possibles.length > 0 ? ` ; possibles : ${possibles.join(', ')}` : ''}` });
      }
      continue;
    }
    // A record's bad key (an unknown contingent type) is reported on the key itself.
    const surLaCle = issue.code === 'invalid_key';
    let valeur: unknown = document;
    for (const k of issue.path) valeur = valeur !== null && typeof valeur === 'object' ? (valeur as Record<PropertyKey, unknown>)[k] : undefined;
    const absente = issue.code === 'invalid_type' && valeur === undefined;
    problemes.push({
      fichier,
      ...positionYaml(doc, lignes, issue.path, surLaCle),
      chemin: cheminTexte(issue.path),
      ...(valeur !== undefined && (typeof valeur !== 'object' || valeur === null) ? { valeur: String(valeur) } : {}),
      message: absente ? `clé obligatoire « ${String(issue.path.at(-1))} » absente` : issue.message,
    });
  }
  problemes.sort((a, b) => (a.ligne ?? 0) - (b.ligne ?? 0));
  return { ok: false, problemes };
}

/** verifierPolitique that throws PolitiqueInvalideError. */
export function lirePolitique(texte: string, fichier: string): PolitiqueSimulation {
  const r = verifierPolitique(texte, fichier);
  if (!r.ok) throw new PolitiqueInvalideError(fichier, r.problemes);
  return r.politique;
}
