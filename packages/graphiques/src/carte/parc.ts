/**
 * The two maps of the Parc page (issue 14) — their titles, what they colour and place — in one home for the page
 * (packages/web, pages/parc) and for the server that draws the same maps into the page's first paint
 * (packages/server, rendu-parc.ts): both must draw the same thing, or the page's own maps would not replace the
 * server's in place. Plain data, no React: typed by the few fields of the stock's answers it reads.
 */
import { formatEntier, formatTaux } from '@mixite/core/francais';
import type { CategoriePoints, Choroplethe, CouchePoints } from './donnees.ts';

/** The fragility classes in words, with the map's colour of each (never colour alone: the table says it too). */
export const CLASSES_RESIDENCES = [
  { cle: 'tres_fragile', libelle: 'très fragile', nuance: 'red-9' },
  { cle: 'fragile', libelle: 'fragile', nuance: 'orange-7' },
  { cle: 'non_fragile', libelle: 'non fragile', nuance: 'teal-9' },
  { cle: 'inconnue', libelle: 'sans enquête', nuance: 'gray-6' },
] as const satisfies readonly CategoriePoints[];

/** A commune's line of the crossing (GET /api/parc `croisement`): what the first map colours. */
export interface CommuneCroisement {
  readonly code_insee: string;
  readonly logements: number;
  readonly abordables_non_fragiles_hors_qpv: number;
}

/** A residence (GET /api/parc/residences): what the second map places. */
export interface ResidenceCarte {
  readonly residence_id: string;
  readonly nom: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly classe: string;
  readonly code_insee: string;
}

export const titreCarteCroisement = (annee: number) => `Part du parc abordable au 1er quartile, non fragile et hors QPV, par commune — ${annee}`;
export const titreCarteResidences = (annee: number) => `Résidences selon leur fragilité — ${annee}`;

/** The crossing's share of each commune's stock (none without a dwelling). */
export function choroplethesCroisement(croisement: readonly CommuneCroisement[]): Choroplethe {
  return {
    libelle: 'Part du parc abordable, non fragile, hors QPV',
    valeurs: new Map(croisement.map((c) => [c.code_insee, c.logements > 0 ? c.abordables_non_fragiles_hors_qpv / c.logements : undefined])),
  };
}

/** The residences as points coloured by their fragility class. */
export function pointsResidences(residences: readonly ResidenceCarte[]): CouchePoints {
  return {
    libelle: 'Résidences',
    categories: CLASSES_RESIDENCES,
    points: residences.map((r) => ({ id: r.residence_id, libelle: r.nom ?? r.residence_id, latitude: r.latitude, longitude: r.longitude, categorie: r.classe, commune: r.code_insee })),
  };
}

/** The page's words around its maps, the same on the server's first paint and on the page. */
export const TEXTES_PARC = {
  titre: (annee: number | null) => `Parc social${annee ? ` ${annee}` : ''}`,
  introduction:
    'Où loger les ménages du premier quartile hors des quartiers prioritaires : les logements qu’ils peuvent payer une fois l’APL déduite, les ' +
    'résidences déjà fragiles, et la carte du territoire. La méthode est décrite dans la documentation (docs/parc.md, docs/carte.md).',
  titreCroisement: 'Le parc accessible au premier quartile, par commune',
  titreResidences: 'Les résidences et leur fragilité',
} as const;

/** The few figures of GET /api/parc the crossing's sentence says. */
export interface ResumeParc {
  readonly annee: number;
  readonly seuil_q1: number | null;
  readonly hypothese_centrale: number;
  readonly bareme: { readonly debut: string };
  readonly total: { readonly logements: number; readonly abordables_non_fragiles_hors_qpv: number };
  readonly baux: number;
  readonly baux_croisement: number;
}

/** The sentence above the crossing's map. */
export function phraseCroisement(p: ResumeParc): string {
  const hypothese = formatTaux(p.hypothese_centrale);
  return (
    `Pour chaque logement, le ménage du premier quartile de sa taille (seuil ${p.seuil_q1 === null ? 'inconnu' : `${formatEntier(p.seuil_q1)} € par UC et par an`}), ` +
    `son APL (barème du ${p.bareme.debut}) et son taux d’effort. Sur ${formatEntier(p.total.logements)} logements, ` +
    `${formatEntier(p.total.abordables_non_fragiles_hors_qpv)} sont abordables (taux d’effort ≤ ${hypothese}), hors QPV et dans une résidence non fragile ; ` +
    `${formatEntier(p.baux_croisement)} des ${formatEntier(p.baux)} baux de ${p.annee - 1} y ont été signés.`
  );
}

/** The few figures of GET /api/parc/residences the residences' sentence says. */
export interface ResumeResidences {
  readonly annee: number;
  readonly indicateur: string;
  readonly seuil_fragile: number;
  readonly seuil_tres_fragile: number;
  readonly attributions_par_classe: readonly { readonly classe: string; readonly attributions_q1: number }[];
}

/** The sentence above the residences' map. */
export function phraseResidences(r: ResumeResidences): string {
  const q1Fragiles = r.attributions_par_classe.filter((a) => a.classe === 'fragile' || a.classe === 'tres_fragile').reduce((s, a) => s + a.attributions_q1, 0);
  return (
    `Classement par la dernière enquête d’occupation : très fragile au-delà de ${formatTaux(r.seuil_tres_fragile)} des ménages sous le seuil (${r.indicateur}), ` +
    `fragile de ${formatTaux(r.seuil_fragile)} à ${formatTaux(r.seuil_tres_fragile)} inclus. En ${r.annee}, ` +
    `${formatEntier(q1Fragiles)} ménages du premier quartile ont été logés dans des résidences déjà fragiles ou très fragiles.`
  );
}
