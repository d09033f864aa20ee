import type { Probleme } from '../erreurs.ts';
import { LEGAL_INDICATOR_IDS } from '../indicators/declarations.ts';
import type { LegalIndicatorId } from '../indicators/declarations.ts';
import { PERIMETER_TYPES } from '../indicators/perimeter-types.ts';
import type { PerimeterType } from '../indicators/perimeter-types.ts';
import type { ConventionProgramme, EtapeFiche, FicheAction, LienIndicateur, PartenaireFiche, ProgrammeActions, QuandEtape } from './modele.ts';
import { anneesConvention, lirePartenaire, partenaireTexte } from './modele.ts';

/**
 * The action programme as a workbook (issue 19): a sheet « Convention » (two columns cle, valeur) and a sheet
 * « Fiches » (one row per fiche). Pure: the data layer reads the cells (data/src/programme/classeur.ts) and hands
 * them here as text with their spreadsheet line; every problem is located (sheet, line, column) and the caller
 * loads nothing while there is one. docs/programme.md documents the columns.
 */

export const FEUILLE_CONVENTION = 'Convention';
export const FEUILLE_FICHES = 'Fiches';

export const CLES_CONVENTION = ['intitule', 'date_debut', 'date_fin', 'zone_tendue', 'bilan_cil', 'arrete_q1'] as const;
export type CleConvention = (typeof CLES_CONVENTION)[number];

export const COLONNES_FICHES = ['numero', 'titre', 'orientation', 'enjeux', 'etapes', 'pilote', 'partenaires', 'indicateurs', 'indicateurs_qualitatifs'] as const;
export type ColonneFiche = (typeof COLONNES_FICHES)[number];
const OBLIGATOIRES: readonly ColonneFiche[] = ['numero', 'titre', 'orientation', 'pilote'];

/** Defaults of the optional settings of the convention (see ConventionProgramme for why they are settings). */
export const BILAN_CIL_PAR_DEFAUT = '06-30';
export const ARRETE_Q1_PAR_DEFAUT = '03-31';

/** A row of a sheet as read: its spreadsheet line (header = 1) and its cells as text, by header. */
export interface LigneClasseur {
  readonly ligne: number;
  readonly cellules: Readonly<Record<string, string>>;
}

export interface ClasseurProgramme {
  /** The file's name, for the messages. */
  readonly fichier: string;
  /** Null when the workbook has no such sheet. */
  readonly convention: { readonly entetes: readonly string[]; readonly lignes: readonly LigneClasseur[] } | null;
  readonly fiches: { readonly entetes: readonly string[]; readonly lignes: readonly LigneClasseur[] } | null;
}

/** What the programme may reference besides itself: the indicators the engine computes, the partners of the store. */
export interface ReferentielProgramme {
  readonly indicateurs: readonly string[];
  /** Known ids of the store's partners; a missing list is not checked (a programme read without a store). */
  readonly bailleurs?: ReadonlySet<string>;
  readonly reservataires?: ReadonlySet<string>;
  readonly communes?: ReadonlySet<string>;
}

export const REFERENTIEL_SANS_BASE: ReferentielProgramme = { indicateurs: LEGAL_INDICATOR_IDS };

export type LectureProgramme = { readonly ok: true; readonly programme: ProgrammeActions } | { readonly ok: false; readonly problemes: readonly Probleme[] };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const JOUR = /^(\d{2})-(\d{2})$/;

function dateValide(texte: string): boolean {
  const m = DATE.exec(texte);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === texte;
}

function jourValide(texte: string): boolean {
  const m = JOUR.exec(texte);
  // 2024 is a leap year: 02-29 is a day that exists (the calendar moves it to 02-28 in other years).
  return m !== null && dateValide(`2024-${m[1]}-${m[2]}`);
}

/** Several values in one cell: one a line (the export writes them so), or separated by « ; ». */
const plusieurs = (texte: string, pointVirgule: boolean): string[] =>
  texte
    .split(pointVirgule ? /\r?\n|;/ : /\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

export function lireClasseurProgramme(classeur: ClasseurProgramme, referentiel: ReferentielProgramme = REFERENTIEL_SANS_BASE): LectureProgramme {
  const problemes: Probleme[] = [];
  const ou = (feuille: string) => `${classeur.fichier}, feuille ${feuille}`;

  // --- Convention
  const valeurs = new Map<string, { valeur: string; ligne: number }>();
  if (!classeur.convention) {
    problemes.push({ fichier: ou(FEUILLE_CONVENTION), ligne: null, message: `feuille « ${FEUILLE_CONVENTION} » absente : elle donne les dates de la convention (colonnes cle, valeur)` });
  } else {
    for (const attendue of ['cle', 'valeur']) {
      if (!classeur.convention.entetes.includes(attendue)) {
        problemes.push({ fichier: ou(FEUILLE_CONVENTION), ligne: 1, colonne: attendue, message: `colonne « ${attendue} » absente de l’en-tête` });
      }
    }
    for (const l of classeur.convention.lignes) {
      const cle = (l.cellules.cle ?? '').trim();
      const valeur = (l.cellules.valeur ?? '').trim();
      if (cle === '' && valeur === '') continue;
      if (!(CLES_CONVENTION as readonly string[]).includes(cle)) {
        problemes.push({ fichier: ou(FEUILLE_CONVENTION), ligne: l.ligne, colonne: 'cle', valeur: cle, attendu: CLES_CONVENTION.join(', '), message: `clé inconnue « ${cle} »` });
      } else if (valeurs.has(cle)) {
        problemes.push({ fichier: ou(FEUILLE_CONVENTION), ligne: l.ligne, colonne: 'cle', valeur: cle, message: `clé « ${cle} » donnée deux fois (ligne ${valeurs.get(cle)?.ligne} et ligne ${l.ligne})` });
      } else valeurs.set(cle, { valeur, ligne: l.ligne });
    }
  }
  const lue = (cle: CleConvention) => valeurs.get(cle);
  const conventionProbleme = (cle: CleConvention, valeur: string | null, message: string, attendu?: string) =>
    problemes.push({ fichier: ou(FEUILLE_CONVENTION), ligne: lue(cle)?.ligne ?? null, colonne: 'valeur', chemin: cle, valeur, message, ...(attendu ? { attendu } : {}) });
  const requise = (cle: CleConvention): string => {
    const v = lue(cle)?.valeur ?? '';
    if (classeur.convention && v === '') conventionProbleme(cle, null, `valeur manquante pour « ${cle} »`);
    return v;
  };
  const intitule = requise('intitule');
  const dateDebut = requise('date_debut');
  const dateFin = requise('date_fin');
  for (const [cle, v] of [['date_debut', dateDebut], ['date_fin', dateFin]] as const) {
    if (v !== '' && !dateValide(v)) conventionProbleme(cle, v, 'date illisible', 'une date AAAA-MM-JJ');
  }
  if (dateValide(dateDebut) && dateValide(dateFin) && dateFin <= dateDebut) conventionProbleme('date_fin', dateFin, `la convention finit avant de commencer (${dateDebut})`);
  const zoneTexte = (lue('zone_tendue')?.valeur ?? 'non').toLowerCase();
  if (!['oui', 'non'].includes(zoneTexte)) conventionProbleme('zone_tendue', zoneTexte, 'valeur illisible', 'oui ou non');
  const jour = (cle: 'bilan_cil' | 'arrete_q1', defaut: string) => {
    const v = lue(cle)?.valeur || defaut;
    if (!jourValide(v)) conventionProbleme(cle, v, 'jour illisible', 'un jour de l’année MM-JJ, par exemple 06-30');
    return v;
  };
  const convention: ConventionProgramme = {
    intitule,
    date_debut: dateDebut,
    date_fin: dateFin,
    zone_tendue: zoneTexte === 'oui',
    bilan_cil: jour('bilan_cil', BILAN_CIL_PAR_DEFAUT),
    arrete_q1: jour('arrete_q1', ARRETE_Q1_PAR_DEFAUT),
  };
  const datesLues = dateValide(dateDebut) && dateValide(dateFin) && dateFin > dateDebut;
  const annees = datesLues ? anneesConvention(convention) : null;

  // --- Fiches
  const fiches: FicheAction[] = [];
  if (!classeur.fiches) {
    problemes.push({ fichier: ou(FEUILLE_FICHES), ligne: null, message: `feuille « ${FEUILLE_FICHES} » absente : une ligne par fiche action (colonnes ${COLONNES_FICHES.join(', ')})` });
  } else {
    const manquantes = COLONNES_FICHES.filter((c) => !classeur.fiches?.entetes.includes(c));
    for (const c of manquantes) problemes.push({ fichier: ou(FEUILLE_FICHES), ligne: 1, colonne: c, message: `colonne « ${c} » absente de l’en-tête` });
    for (const e of classeur.fiches.entetes) {
      if (e !== '' && !(COLONNES_FICHES as readonly string[]).includes(e)) {
        problemes.push({ fichier: ou(FEUILLE_FICHES), ligne: 1, colonne: e, message: `colonne inconnue « ${e} »`, attendu: COLONNES_FICHES.join(', ') });
      }
    }
    const vus = new Map<number, number>();
    for (const l of classeur.fiches.lignes) {
      const cell = (c: ColonneFiche) => (l.cellules[c] ?? '').trim();
      if (COLONNES_FICHES.every((c) => cell(c) === '')) continue;
      const avant = problemes.length;
      const signaler = (colonne: ColonneFiche, valeur: string | null, message: string, attendu?: string) =>
        problemes.push({ fichier: ou(FEUILLE_FICHES), ligne: l.ligne, colonne, valeur, message, ...(attendu ? { attendu } : {}) });
      for (const c of OBLIGATOIRES) if (cell(c) === '') signaler(c, null, 'valeur manquante');
      const numero = Number(cell('numero'));
      if (cell('numero') !== '') {
        if (!/^[0-9]{1,4}$/.test(cell('numero')) || numero < 1) signaler('numero', cell('numero'), 'numéro de fiche illisible', 'un entier positif');
        else if (vus.has(numero)) signaler('numero', cell('numero'), `numéro de fiche en double : déjà donné ligne ${vus.get(numero)}`);
        else vus.set(numero, l.ligne);
      }
      const etapes = plusieurs(cell('etapes'), false).flatMap((texte) => {
        const e = lireEtape(texte, annees);
        if ('erreur' in e) {
          signaler('etapes', texte, e.erreur, e.attendu);
          return [];
        }
        return [e];
      });
      const partenaire = (colonne: ColonneFiche, texte: string): PartenaireFiche | null => {
        const p = lirePartenaire(texte);
        const connus = p.genre === 'bailleur' ? referentiel.bailleurs : p.genre === 'reservataire' ? referentiel.reservataires : p.genre === 'commune' ? referentiel.communes : undefined;
        if ('id' in p && connus && !connus.has(p.id)) {
          signaler(colonne, texte, `${p.genre} inconnu : « ${p.id} » n’est pas dans la base (${p.genre === 'commune' ? 'communes.csv, colonne code_insee' : `${p.genre}s.csv, colonne id`})`);
          return null;
        }
        return p;
      };
      const pilote = cell('pilote') === '' ? null : partenaire('pilote', cell('pilote'));
      const partenaires = plusieurs(cell('partenaires'), true).flatMap((t) => {
        const p = partenaire('partenaires', t);
        return p ? [p] : [];
      });
      const indicateurs = plusieurs(cell('indicateurs'), true).flatMap((texte) => {
        const lien = lireLienIndicateur(texte, referentiel.indicateurs);
        if ('erreur' in lien) {
          signaler('indicateurs', texte, lien.erreur, lien.attendu);
          return [];
        }
        return [lien];
      });
      if (problemes.length > avant || pilote === null) continue;
      fiches.push({
        numero,
        titre: cell('titre'),
        orientation: cell('orientation'),
        enjeux: cell('enjeux'),
        etapes,
        pilote,
        partenaires,
        indicateurs,
        indicateurs_qualitatifs: plusieurs(cell('indicateurs_qualitatifs'), false),
      });
    }
  }
  if (problemes.length > 0) return { ok: false, problemes };
  return { ok: true, programme: { convention, fiches: [...fiches].sort((a, b) => a.numero - b.numero) } };
}

type Lu<T> = T | { erreur: string; attendu?: string };

const SYNTAXE_ETAPE = '« année 1 : … » (année de la convention), « 2024 : … », « 2024-06-30 : … », « annuel : … » ou « continu : … »';

/** A step as written in its cell: « quand : libellé ». A year outside the convention is an error. */
export function lireEtape(texte: string, annees: readonly number[] | null): Lu<EtapeFiche> {
  const m = /^([^:]+?)\s*:\s*(.+)$/.exec(texte.trim());
  if (!m) return { erreur: 'étape illisible', attendu: SYNTAXE_ETAPE };
  const quandTexte = (m[1] as string).toLowerCase();
  const libelle = (m[2] as string).trim();
  const hors = (q: string, annee: number) =>
    annees && !annees.includes(annee)
      ? { erreur: `${q} hors de la convention (${annees[0]}–${annees.at(-1)})`, attendu: `une année de ${annees[0]} à ${annees.at(-1)}` }
      : null;
  let quand: QuandEtape;
  const rang = /^ann[ée]e\s+([0-9]{1,2})$/.exec(quandTexte);
  if (rang) {
    const r = Number(rang[1]);
    if (r < 1) return { erreur: 'année de la convention illisible', attendu: 'année 1 ou plus' };
    if (annees && r > annees.length) return { erreur: `année ${r} de la convention : elle n’en compte que ${annees.length} (${annees[0]}–${annees.at(-1)})`, attendu: `année 1 à ${annees.length}` };
    quand = { genre: 'annee_convention', rang: r };
  } else if (/^[0-9]{4}$/.test(quandTexte)) {
    const erreur = hors(`année ${quandTexte}`, Number(quandTexte));
    if (erreur) return erreur;
    quand = { genre: 'annee', annee: Number(quandTexte) };
  } else if (DATE.test(quandTexte)) {
    if (!dateValide(quandTexte)) return { erreur: `date « ${quandTexte} » inexistante`, attendu: SYNTAXE_ETAPE };
    const erreur = hors(`date ${quandTexte}`, Number(quandTexte.slice(0, 4)));
    if (erreur) return erreur;
    quand = { genre: 'date', date: quandTexte };
  } else if (quandTexte === 'annuel' || quandTexte === 'annuellement') quand = { genre: 'annuel' };
  else if (quandTexte === 'continu') quand = { genre: 'continu' };
  else return { erreur: `moment de l’étape illisible « ${m[1]} »`, attendu: SYNTAXE_ETAPE };
  return { quand, libelle };
}

export function etapeTexte(e: EtapeFiche): string {
  const q = e.quand;
  const quand = q.genre === 'annee_convention' ? `année ${q.rang}` : q.genre === 'annee' ? String(q.annee) : q.genre === 'date' ? q.date : q.genre;
  return `${quand} : ${e.libelle}`;
}

/** A link as written: `hors_qpv_q1` (the territory) or `prioritaires@contingent:etat`. */
export function lireLienIndicateur(texte: string, connus: readonly string[]): Lu<LienIndicateur> {
  const [id = '', perimetre] = texte.trim().split('@');
  if (!connus.includes(id)) return { erreur: `indicateur inconnu « ${id} »`, attendu: connus.join(', ') };
  if (perimetre === undefined || perimetre === 'territoire') return { indicateur: id as LegalIndicatorId, perimetre_type: 'territoire', perimetre_id: null };
  const i = perimetre.indexOf(':');
  const type = i < 0 ? perimetre : perimetre.slice(0, i);
  const pid = i < 0 ? '' : perimetre.slice(i + 1).trim();
  if (!(PERIMETER_TYPES as readonly string[]).includes(type) || type === 'territoire') {
    return { erreur: `périmètre inconnu « ${type} »`, attendu: `territoire, ou ${PERIMETER_TYPES.filter((t) => t !== 'territoire').join(', ')} suivi de « :identifiant »` };
  }
  if (pid === '') return { erreur: `périmètre « ${type} » sans identifiant`, attendu: `${id}@${type}:identifiant` };
  return { indicateur: id as LegalIndicatorId, perimetre_type: type as PerimeterType, perimetre_id: pid };
}

export function lienIndicateurTexte(l: LienIndicateur): string {
  return l.perimetre_type === 'territoire' ? l.indicateur : `${l.indicateur}@${l.perimetre_type}:${l.perimetre_id}`;
}

/** The workbook's rows, as the export writes them (and the import reads them back unchanged). */
export function lignesClasseurProgramme(programme: ProgrammeActions): { convention: string[][]; fiches: string[][] } {
  const c = programme.convention;
  return {
    convention: [
      ['cle', 'valeur'],
      ['intitule', c.intitule],
      ['date_debut', c.date_debut],
      ['date_fin', c.date_fin],
      ['zone_tendue', c.zone_tendue ? 'oui' : 'non'],
      ['bilan_cil', c.bilan_cil],
      ['arrete_q1', c.arrete_q1],
    ],
    fiches: [
      [...COLONNES_FICHES],
      ...programme.fiches.map((f) => [
        String(f.numero),
        f.titre,
        f.orientation,
        f.enjeux,
        f.etapes.map(etapeTexte).join('\n'),
        partenaireTexte(f.pilote),
        f.partenaires.map(partenaireTexte).join('\n'),
        f.indicateurs.map(lienIndicateurTexte).join('\n'),
        f.indicateurs_qualitatifs.join('\n'),
      ]),
    ],
  };
}
