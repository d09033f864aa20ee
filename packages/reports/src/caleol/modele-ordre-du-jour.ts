import type { ClasseFragilite, EcartContingent } from '@mixite/core';
import { LIBELLES_CLASSE, LIBELLES_REGLE_LISTE, ecartEnMots, effetsEnMots, nonVerifieEnMots } from '@mixite/core';
import type { OrdreDuJour } from '@mixite/data';

/**
 * The agenda of a commission (issue 15 item 2) as one document model, written out by the three renderers of
 * ordre-du-jour.ts (Word, PDF, Excel): they show the same rows. Built from the data's agenda with the viewer's
 * names (bailleurs, communes, contingents) and NUR mapping: the server pseudonymises the NUR for the roles that read
 * pseudonyms only (NUR_EN_CLAIR), everywhere they appear, including inside the rules' messages.
 */

export interface LibellesOrdreDuJour {
  /** Who prepares the agenda (the EPCI's or the bailleur's name), in the header. */
  readonly emetteur: string;
  readonly libelle: (kind: 'bailleur' | 'commune' | 'contingent', id: string) => string;
  /** The NUR as the reader may see it (itself, or its keyed pseudonym). */
  readonly nur: (nur: string) => string;
  readonly pseudonymise: boolean;
}

export interface CandidatOrdreDuJour {
  readonly rang: number;
  readonly nur: string;
  readonly note: number;
  readonly date_depot: string;
  readonly q1: boolean | null;
  readonly prioritaire: boolean;
  readonly mutation: boolean;
  /** Share between 0 and 1, after the estimated APL; null when it could not be checked. */
  readonly taux_effort: number | null;
  readonly effets: string;
  /** Rules to check by hand, in words ('' when none). */
  readonly a_verifier: string;
  /** The list rule that brought the candidate in, in words, or null. */
  readonly ajoute_par: string | null;
}

export interface LogementOrdreDuJour {
  /** Place on the agenda, from 1. */
  readonly numero: number;
  readonly id: string;
  readonly bailleur: string;
  readonly commune: string;
  readonly nb_pieces: number;
  readonly en_qpv: boolean;
  readonly code_qpv: string | null;
  readonly financement: string | null;
  readonly loyer: number | null;
  readonly charges: number | null;
  readonly contingent: string;
  readonly classe_residence: string | null;
  /** The contingent's priority share and what is missing to its target, in words; null when not computed. */
  readonly ecart_contingent: string | null;
  readonly examinees: number;
  readonly eligibles: number;
  readonly candidats: readonly CandidatOrdreDuJour[];
  /** The CIA's list rules, each a sentence (NUR mapped). */
  readonly regles: readonly string[];
}

export interface DocumentOrdreDuJour {
  readonly titre: string;
  readonly emetteur: string;
  readonly date: string;
  readonly grille: string;
  readonly pseudonymise: boolean;
  readonly logements: readonly LogementOrdreDuJour[];
}

/** The fragility class in the parc module's words; « non renseignée » when the dwelling has no residence or survey. */
export const classeEnMots = (c: string | null): string => (c === null ? 'non renseignée' : (LIBELLES_CLASSE[c as ClasseFragilite] ?? c));

/** `ecarts`: the gap of each contingent of the agenda (ecartDuContingent over the indicators the reader may see). */
export function documentOrdreDuJour(odj: OrdreDuJour, l: LibellesOrdreDuJour, ecarts: ReadonlyMap<string, EcartContingent> = new Map()): DocumentOrdreDuJour {
  return {
    titre: 'Ordre du jour de la commission d’attribution (CALEOL)',
    emetteur: l.emetteur,
    date: odj.date,
    grille: `${odj.grille.nom}${odj.grille.version === null ? '' : ` (version ${odj.grille.version})`}`,
    pseudonymise: l.pseudonymise,
    logements: odj.points.map((p, i) => {
      const r = p.liste;
      const g = r.logement;
      return {
        numero: i + 1,
        id: g.id,
        bailleur: l.libelle('bailleur', g.bailleur_id),
        commune: l.libelle('commune', g.code_insee),
        nb_pieces: g.nb_pieces,
        en_qpv: g.en_qpv,
        code_qpv: g.code_qpv,
        financement: g.financement,
        loyer: g.loyer,
        charges: g.charges,
        contingent: l.libelle('contingent', g.contingent),
        classe_residence: p.classe_residence,
        ecart_contingent: ((e) => (e === undefined ? null : ecartEnMots(e, l.libelle('contingent', g.contingent))))(ecarts.get(g.contingent)),
        examinees: r.liste.examinees,
        eligibles: r.liste.eligibles,
        candidats: r.liste.candidats.map((c) => ({
          rang: c.rang,
          nur: l.nur(c.demande.nur),
          note: c.demande.note,
          date_depot: c.demande.date_depot,
          q1: c.examen.q1,
          prioritaire: c.demande.dalo || c.demande.prioritaire,
          mutation: c.demande.mutation,
          taux_effort: c.examen.taux_effort,
          effets: effetsEnMots(c.effets),
          a_verifier: nonVerifieEnMots(c.examen.non_verifie),
          ajoute_par: c.ajoute_par === null ? null : LIBELLES_REGLE_LISTE[c.ajoute_par],
        })),
        // The messages name the NUR of a replacement: mapped like the candidates'.
        regles: r.liste.regles.map((x) => x.remplacements.reduce((t, m) => t.replaceAll(m.sort, l.nur(m.sort)).replaceAll(m.entre, l.nur(m.entre)), x.message)),
      };
    }),
  };
}
