import type { Engagement, FicheAction, Instance, LienIndicateur, ProgrammeActions, Reunion } from '@mixite/core';
import { LEGAL_INDICATORS, LIBELLES_STATUT_ENGAGEMENT, LIBELLES_STATUT_FICHE, TERRITOIRE_ID, etapeTexte, partenaireTexte } from '@mixite/core';
import type { CommentaireFiche, StatutDate, Store } from '@mixite/data';
import { commentairesFiches, listerEngagements, listerInstances, listerReunions, lireProgramme, statutsDeLAnnee } from '@mixite/data';
import type { Contexte } from './contexte.ts';
import { tauxDe } from './contexte.ts';
import { formatDate, pluriel } from './format.ts';
import type { Ligne } from './modele.ts';
import { nombre, taux, texte } from './modele.ts';

/**
 * Section « Mise en œuvre du programme d’actions » (issue 19, docs/programme.md): each fiche's status of the year,
 * the partners' comments of the year, and its linked indicators over the bilan's years — read from the same
 * published rows as every other table of the bilan (`ctx.publies`: the engine's figures under the edition's
 * secrecy), so that a linked indicator is the figure of the chapter of objectives. Comments are printed with the
 * partner they are signed for and their date, not the name of the person (the public edition names no one).
 */

export interface ProgrammeBilan {
  readonly programme: ProgrammeActions;
  readonly statuts: ReadonlyMap<number, StatutDate>;
  /** The comments of the bilan's year. */
  readonly commentaires: readonly CommentaireFiche[];
  /** The instances, the meetings held in the bilan's year, and every commitment (absent: none recorded). */
  readonly instances?: readonly Instance[];
  readonly reunions?: readonly Reunion[];
  readonly engagements?: readonly Engagement[];
}

/** The store's programme for the bilan of year N (null without a programme). */
export async function collecterProgramme(store: Store, annee: number): Promise<ProgrammeBilan | null> {
  const programme = await lireProgramme(store);
  if (!programme) return null;
  return {
    programme,
    statuts: await statutsDeLAnnee(store, annee),
    commentaires: (await commentairesFiches(store)).filter((c) => c.annee === annee),
    instances: await listerInstances(store),
    reunions: await listerReunions(store, annee),
    engagements: await listerEngagements(store),
  };
}

const libelleLien = (l: LienIndicateur) =>
  `${LEGAL_INDICATORS[l.indicateur]?.courts.titre ?? l.indicateur}${l.perimetre_type === 'territoire' ? ' (territoire)' : ` (${l.perimetre_type} ${l.perimetre_id})`}`;

export function sectionProgramme(ctx: Contexte, donnees: ProgrammeBilan | null | undefined): void {
  if (!donnees) return;
  const { r } = ctx;
  const n = ctx.donnees.annee;
  const { programme, statuts, commentaires } = donnees;
  r.titre(1, 'Mise en œuvre du programme d’actions');
  const compte = (s: string) => programme.fiches.filter((f) => statuts.get(f.numero)?.statut === s).length;
  r.paragraphe(
    `La convention « ${programme.convention.intitule} » (du ${formatDate(programme.convention.date_debut)} au ${formatDate(programme.convention.date_fin)}) ` +
      `décline ses orientations en ${pluriel(programme.fiches.length, 'fiche action', 'fiches action')}. En ${n} : ${compte('realisee')} réalisée(s), ` +
      `${compte('en_cours')} en cours, ${compte('non_commencee')} non commencée(s), ${compte('abandonnee')} abandonnée(s), ` +
      `${programme.fiches.filter((f) => !statuts.has(f.numero)).length} sans statut renseigné.`,
  );
  r.tableau(
    'programme-statuts',
    `État d’avancement des fiches action en ${n}`,
    ['N°', 'Fiche action', 'Orientation', 'Pilote', `Statut ${n}`],
    programme.fiches.map((f): Ligne => ({
      cellules: [nombre(f.numero), texte(f.titre), texte(f.orientation), texte(partenaireTexte(f.pilote)), texte(libelleStatut(statuts.get(f.numero)?.statut))],
    })),
  );
  for (const f of programme.fiches) ficheDuBilan(ctx, f, statuts.get(f.numero)?.statut, commentaires.filter((c) => c.numero === f.numero));
  reunionsDuBilan(ctx, donnees.instances ?? [], donnees.reunions ?? []);
  engagementsDuBilan(ctx, donnees.engagements ?? []);
}

/**
 * The meetings held in the bilan's year and their decisions (the fiches each concerns). Neither the minutes nor the
 * attendance: the public edition names no one, and the decisions are what the instances' acts say.
 */
function reunionsDuBilan(ctx: Contexte, instances: readonly Instance[], reunions: readonly Reunion[]): void {
  const { r } = ctx;
  const n = ctx.donnees.annee;
  r.titre(2, `Instances réunies en ${n}`);
  if (reunions.length === 0) {
    r.paragraphe(`Aucune réunion d’instance n’est enregistrée pour ${n}.`);
    return;
  }
  const nom = (id: number) => instances.find((i) => i.id === id)?.nom ?? `instance ${id}`;
  const decisions = reunions.reduce((s, x) => s + x.decisions.length, 0);
  r.paragraphe(`${pluriel(reunions.length, 'réunion', 'réunions')} d’instance en ${n}, ${pluriel(decisions, 'décision prise', 'décisions prises')}.`);
  r.tableau(
    'programme-reunions',
    `Réunions des instances en ${n}`,
    ['Date', 'Instance', 'Ordre du jour', 'Décisions'],
    reunions.map((x): Ligne => ({ cellules: [texte(formatDate(x.date)), texte(nom(x.instance_id)), texte(x.ordre_du_jour), nombre(x.decisions.length)] })),
  );
  const items = reunions.flatMap((x) =>
    x.decisions.map((d) => `${nom(x.instance_id)}, ${formatDate(x.date)} : ${d.texte}${d.fiches.length > 0 ? ` (fiche${d.fiches.length > 1 ? 's' : ''} ${d.fiches.join(', ')})` : ''}`),
  );
  if (items.length > 0) r.liste(items);
}

/**
 * The partners' commitments with their status; a quantified one against its figure of the year, read from the
 * published rows (the engine's, under the edition's secrecy) as every other figure of the bilan.
 */
function engagementsDuBilan(ctx: Contexte, engagements: readonly Engagement[]): void {
  if (engagements.length === 0) return;
  const { r } = ctx;
  const n = ctx.donnees.annee;
  r.titre(2, 'Engagements des partenaires');
  const tenus = engagements.filter((e) => e.statut === 'tenu').length;
  r.paragraphe(`${pluriel(engagements.length, 'engagement enregistré', 'engagements enregistrés')}, dont ${tenus} tenu(s) à la date du bilan.`);
  r.tableau(
    'programme-engagements',
    `Engagements des partenaires et leur état en ${n}`,
    ['Partenaire', 'Fiche', 'Engagement', 'Échéance', 'Statut', `Taux ${n}`, 'Cible'],
    engagements.map((e): Ligne => {
      const q = e.quantifie;
      const row = q ? ctx.publies.ligne(q.indicateur, q.perimetre_type, q.perimetre_type === 'territoire' ? TERRITOIRE_ID : (q.perimetre_id ?? ''), String(n)) : null;
      return {
        cellules: [
          texte(e.partenaire),
          e.fiche === null ? texte('—') : nombre(e.fiche),
          texte(e.libelle),
          texte(e.echeance ? formatDate(e.echeance) : 'durée de la convention'),
          texte(LIBELLES_STATUT_ENGAGEMENT[e.statut]),
          q ? tauxDe(row) : texte('qualitatif'),
          q ? taux(q.cible, false) : texte('—'),
        ],
      };
    }),
    ['Engagement quantifié : taux de l’indicateur lié, celui du moteur d’indicateurs sous le secret statistique de l’édition (« s »).'],
  );
}

const libelleStatut = (s: keyof typeof LIBELLES_STATUT_FICHE | undefined) => (s ? LIBELLES_STATUT_FICHE[s] : 'non renseigné');

function ficheDuBilan(ctx: Contexte, f: FicheAction, statut: keyof typeof LIBELLES_STATUT_FICHE | undefined, commentaires: readonly CommentaireFiche[]): void {
  const { r } = ctx;
  const n = ctx.donnees.annee;
  r.titre(2, `Fiche ${f.numero} — ${f.titre}`);
  r.paragraphe(
    `${f.orientation}. Pilote : ${partenaireTexte(f.pilote)}${f.partenaires.length > 0 ? ` ; partenaires : ${f.partenaires.map(partenaireTexte).join(', ')}` : ''}. ` +
      `Statut ${n} : ${libelleStatut(statut).toLowerCase()}.`,
  );
  if (f.etapes.length > 0) r.liste(f.etapes.map(etapeTexte));
  if (f.indicateurs.length > 0) {
    const annees = ctx.donnees.annees;
    r.tableau(
      `programme-fiche-${f.numero}-indicateurs`,
      `Fiche ${f.numero} : indicateurs de suivi, ${annees[0]}–${n}`,
      ['Indicateur', 'Année', 'Numérateur', 'Dénominateur', 'Taux', 'Cible'],
      f.indicateurs.flatMap((l) =>
        annees.map((a): Ligne => {
          const row = ctx.publies.ligne(l.indicateur, l.perimetre_type, l.perimetre_type === 'territoire' ? TERRITOIRE_ID : (l.perimetre_id ?? ''), String(a));
          return { cellules: [texte(libelleLien(l)), nombre(a), nombre(row ? row.numerateur : null), nombre(row ? row.denominateur : null), row ? tauxDe(row) : taux(null, false), taux(row?.cible ?? null, false)] };
        }),
      ),
      ['Valeurs du moteur d’indicateurs, celles du chapitre des objectifs, sous le secret statistique de l’édition (« s »).'],
    );
  }
  if (f.indicateurs_qualitatifs.length > 0) r.paragraphe(`Indicateurs qualitatifs : ${f.indicateurs_qualitatifs.join(' ; ')}.`);
  if (commentaires.length > 0) r.liste(commentaires.map((c) => `${c.partenaire}, le ${formatDate(c.date.slice(0, 10))} : ${c.texte}`));
}
