import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CelluleXlsx, ColonneEquilibre, DimensionBilan, LigneEquilibre, MinimaEquilibre } from '@mixite/core';
import { COLONNES_EQUILIBRE, DIMENSIONS_BILAN, LIBELLES_DIMENSION, MODALITES_EQUILIBRE, celluleXlsx, equilibreDeLaConvention } from '@mixite/core';
import { formatEntier, formatTaux } from '@mixite/core/francais';
import type { Store } from '@mixite/data';
import { bilanFlux, configurationCourante } from '@mixite/data';
import type { FeuilleSimple } from './classeur-simple.ts';
import { classeurXlsx } from './classeur-simple.ts';
import type { LigneBilanPubliee } from './secret-bilan-flux.ts';
import { publierBilanFlux } from './secret-bilan-flux.ts';
import type { BlocWord } from './word-simple.ts';
import { documentWord } from './word-simple.ts';

/**
 * The R441-5-1 bilan as files (docs/flux.md): per bailleur, a Word document and an Excel workbook with one section
 * (one sheet) per réservataire; for the EPCI, one workbook of every bailleur's rows. The complete edition is the one
 * a bailleur sends its réservataires; the public edition applies the secrecy threshold of cia.yaml
 * (secret-bilan-flux.ts).
 */

export type EditionBilanFlux = 'complete' | 'publique';

export interface OptionsBilanFlux {
  readonly annee: number;
  readonly bailleur?: string | null;
  readonly format: 'docx' | 'xlsx';
  readonly dossier: string;
  readonly edition?: EditionBilanFlux;
  /** Only these réservataires' sections (a réservataire's account reads its own); all when absent. */
  readonly reservataires?: readonly string[] | null;
}

const SECRET = 's';

interface Noms {
  readonly bailleurs: ReadonlyMap<string, string>;
  readonly reservataires: ReadonlyMap<string, string>;
}

async function noms(store: Store): Promise<Noms> {
  const b = await store.all<{ id: string; nom: string }>(`SELECT id, nom FROM bailleurs`);
  const r = await store.all<{ id: string; nom: string }>(`SELECT id, nom FROM reservataires`);
  return { bailleurs: new Map(b.map((x) => [x.id, x.nom])), reservataires: new Map(r.map((x) => [x.id, x.nom])) };
}

const nomReservataire = (n: Noms, id: string) =>
  id.startsWith('non_reserve:') ? `Logements non réservés du bailleur (${id.slice('non_reserve:'.length)})` : `${n.reservataires.get(id) ?? id} (${id})`;

/** Writes the files; returns their paths. Per bailleur, plus the EPCI workbook when all bailleurs are asked in xlsx. */
export async function ecrireBilansFlux(store: Store, o: OptionsBilanFlux): Promise<string[]> {
  const config = await configurationCourante(store);
  const seuil = (o.edition ?? 'complete') === 'publique' ? config.secret_statistique : null;
  const toutes = await bilanFlux(store, { annee: o.annee, bailleur: o.bailleur ?? null, config });
  const lignes = publierBilanFlux(o.reservataires ? toutes.filter((l) => o.reservataires?.includes(l.reservataire_id)) : toutes, seuil);
  const n = await noms(store);
  const minima = await minimaDesConventions(store, o.annee, o.bailleur ?? null);
  mkdirSync(o.dossier, { recursive: true });
  const parBailleur = grouper(lignes, (l) => l.bailleur_id);
  const suffixe = seuil === null ? '' : '-publique';
  const fichiers: string[] = [];
  for (const [bailleur, siennes] of parBailleur) {
    // Each file is written synchronously (a few milliseconds): the event loop gets the hand back between two (a server).
    await new Promise((resolve) => setImmediate(resolve));
    const chemin = join(o.dossier, `bilan-flux-${o.annee}-${bailleur}${suffixe}.${o.format}`);
    writeFileSync(chemin, await (o.format === 'docx' ? docxDuBailleur(o.annee, bailleur, siennes, n, minima) : xlsxDuBailleur(o.annee, bailleur, siennes, n, minima)));
    fichiers.push(chemin);
  }
  if (o.format === 'xlsx' && !o.bailleur) {
    const chemin = join(o.dossier, `bilan-flux-${o.annee}-epci${suffixe}.xlsx`);
    writeFileSync(chemin, await xlsxEpci(o.annee, lignes, n));
    fichiers.push(chemin);
  }
  return fichiers;
}

/** Rows grouped by a key, in the order of their first row (the bilan's order); one pass, arrays appended in place. */
function grouper<K>(lignes: readonly LigneBilanPubliee[], cle: (l: LigneBilanPubliee) => K): Map<K, LigneBilanPubliee[]> {
  const m = new Map<K, LigneBilanPubliee[]>();
  for (const l of lignes) {
    const k = cle(l);
    const groupe = m.get(k);
    if (groupe) groupe.push(l);
    else m.set(k, [l]);
  }
  return m;
}

/** The bailleur's rows grouped by réservataire, in the bilan's order. */
const parReservataire = (lignes: readonly LigneBilanPubliee[]) => grouper(lignes, (l) => l.reservataire_id);

const valeur = (x: number | null) => (x === null ? SECRET : formatEntier(x));
const modalite = (d: DimensionBilan, m: string) => (d === 'ensemble' ? 'Ensemble' : d === 'qpv' ? (m === 'qpv' ? 'En QPV' : 'Hors QPV') : m.replaceAll('_', ' '));

const INTRO = (annee: number) =>
  `Bilan annuel prévu à l’article R441-5-1 du code de la construction et de l’habitation : logements proposés et logements attribués en ${annee}, par réservataire, typologie, financement, localisation en ou hors quartier prioritaire de la politique de la ville, commune et période de construction. Un logement proposé plusieurs fois dans l’année compte une fois.`;

/** The balance minima of the year's conventions (part_qpv_min…), by « bailleur|réservataire ». */
async function minimaDesConventions(store: Store, annee: number, bailleur: string | null): Promise<Map<string, MinimaEquilibre>> {
  const rows = await store.all<{ bailleur_id: string; reservataire_id: string } & Record<ColonneEquilibre, number | null>>(
    `SELECT bailleur_id, reservataire_id, ${COLONNES_EQUILIBRE.map((c) => `${c}::DOUBLE AS ${c}`).join(', ')} FROM conventions
     WHERE annee = $1 AND ($2::VARCHAR IS NULL OR bailleur_id = $2) AND (${COLONNES_EQUILIBRE.map((c) => `${c} IS NOT NULL`).join(' OR ')})`,
    [annee, bailleur],
  );
  return new Map(rows.map((r) => [`${r.bailleur_id}|${r.reservataire_id}`, Object.fromEntries(COLONNES_EQUILIBRE.map((c) => [c, r[c]])) as MinimaEquilibre]));
}

/**
 * A réservataire's balance lines in the bilan: the share of its dwellings allocated in the year (its rows of the
 * bilan) in each modality its convention sets a minimum for (core flux/equilibre.ts). None when masked by secrecy.
 */
function equilibreDansLeBilan(bailleur: string, reservataire: string, siennes: readonly LigneBilanPubliee[], minima: ReadonlyMap<string, MinimaEquilibre>): LigneEquilibre[] {
  const m = minima.get(`${bailleur}|${reservataire}`);
  const ensemble = siennes.find((l) => l.dimension === 'ensemble');
  if (!m || !ensemble || ensemble.logements_attribues === null) return [];
  const compte = new Map(siennes.map((l) => [`${l.dimension}|${l.modalite}`, l.logements_attribues]));
  const lignes = equilibreDeLaConvention(reservataire, m, { total: ensemble.logements_attribues, parModalite: (d, mod) => compte.get(`${d}|${mod}`) ?? 0 });
  // A masked dimension (public edition) gives no share.
  return lignes.filter((l) => siennes.every((s) => s.dimension !== MODALITES_EQUILIBRE[l.colonne].dimension || s.logements_attribues !== null));
}

const ENTETES_EQUILIBRE = ['Exigence de la convention', 'Minimum', 'Réalisé (logements attribués)', 'Constat'];
const ligneEquilibre = (l: LigneEquilibre): string[] => [
  `Part des logements attribués ${MODALITES_EQUILIBRE[l.colonne].libelle}`,
  formatTaux(l.minimum),
  l.part === null ? 'aucun logement attribué' : `${formatTaux(l.part)} (${formatEntier(l.dansLesModalites)} sur ${formatEntier(l.logements)})`,
  l.part === null ? '—' : l.sousLeMinimum ? 'Sous le minimum' : 'Atteint',
];

function docxDuBailleur(annee: number, bailleur: string, lignes: readonly LigneBilanPubliee[], n: Noms, minima: ReadonlyMap<string, MinimaEquilibre>): Promise<Buffer> {
  const blocs: BlocWord[] = [
    { kind: 'titre', texte: `Bilan ${annee} des logements proposés et attribués — ${n.bailleurs.get(bailleur) ?? bailleur}` },
    { kind: 'paragraphe', texte: INTRO(annee) },
  ];
  if (lignes.some((l) => l.secret)) blocs.push({ kind: 'paragraphe', texte: `« ${SECRET} » : effectif masqué (secret statistique).` });
  for (const [reservataire, siennes] of parReservataire(lignes)) {
    blocs.push({ kind: 'titre1', texte: nomReservataire(n, reservataire) });
    const parDimension = grouper(siennes, (l) => l.dimension);
    for (const dimension of DIMENSIONS_BILAN) {
      const rows = parDimension.get(dimension);
      if (!rows) continue;
      if (dimension !== 'ensemble') blocs.push({ kind: 'titre2', texte: LIBELLES_DIMENSION[dimension] });
      blocs.push({
        kind: 'tableau',
        entetes: [LIBELLES_DIMENSION[dimension], 'Logements proposés', 'Logements attribués'],
        lignes: rows.map((l) => [modalite(dimension, l.modalite), valeur(l.logements_proposes), valeur(l.logements_attribues)]),
      });
    }
    const equilibre = equilibreDansLeBilan(bailleur, reservataire, siennes, minima);
    if (equilibre.length > 0) {
      blocs.push({ kind: 'titre2', texte: 'Équilibre fixé par la convention' });
      blocs.push({ kind: 'tableau', entetes: ENTETES_EQUILIBRE, lignes: equilibre.map(ligneEquilibre), aDroite: [false, true, true, false] });
    }
  }
  return documentWord({ titre: `Bilan R441-5-1 ${annee} ${bailleur}`, auteur: 'Mixité', langue: 'fr-FR', blocs });
}

const COLONNES_XLSX = ['Dimension', 'Modalité', 'Logements proposés', 'Logements attribués'];

/** A count cell: the number, or the secrecy mark. (Names read from imported files go through celluleXlsx: text, never a formula.) */
const compte = (x: number | null): CelluleXlsx => (x === null ? SECRET : x);

/** Sheet names: at most 31 characters, without : \ / ? * [ ], unique. */
function nomFeuille(base: string, pris: Set<string>): string {
  const propre = base.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28);
  let nom = propre;
  for (let i = 2; pris.has(nom.toLowerCase()); i++) nom = `${propre.slice(0, 26)} ${i}`;
  pris.add(nom.toLowerCase());
  return nom;
}

function xlsxDuBailleur(annee: number, bailleur: string, lignes: readonly LigneBilanPubliee[], n: Noms, minima: ReadonlyMap<string, MinimaEquilibre>): Promise<Buffer> {
  const pris = new Set<string>();
  const groupes = parReservataire(lignes);
  const sommaire: CelluleXlsx[][] = [
    [celluleXlsx(`Bilan ${annee} des logements proposés et attribués — ${n.bailleurs.get(bailleur) ?? bailleur}`)],
    [INTRO(annee)],
    [],
    ['Réservataire', 'Logements proposés', 'Logements attribués'],
  ];
  for (const [reservataire, siennes] of groupes) {
    const ensemble = siennes.find((l) => l.dimension === 'ensemble');
    sommaire.push([celluleXlsx(nomReservataire(n, reservataire)), compte(ensemble?.logements_proposes ?? null), compte(ensemble?.logements_attribues ?? null)]);
  }
  const feuilles: FeuilleSimple[] = [{ nom: nomFeuille('Sommaire', pris), lignes: sommaire, grasses: new Set([0, 3]), largeurs: [48, 20, 20] }];
  for (const [reservataire, siennes] of groupes) {
    const equilibre = equilibreDansLeBilan(bailleur, reservataire, siennes, minima);
    const lignesFeuille: CelluleXlsx[][] = [
      [celluleXlsx(nomReservataire(n, reservataire))],
      COLONNES_XLSX,
      ...siennes.map((l) => [LIBELLES_DIMENSION[l.dimension], celluleXlsx(modalite(l.dimension, l.modalite)), compte(l.logements_proposes), compte(l.logements_attribues)]),
    ];
    const grasses = new Set([1]);
    if (equilibre.length > 0) {
      lignesFeuille.push([], ['Équilibre fixé par la convention']);
      grasses.add(lignesFeuille.length);
      lignesFeuille.push(ENTETES_EQUILIBRE, ...equilibre.map(ligneEquilibre));
    }
    feuilles.push({
      nom: nomFeuille(reservataire.startsWith('non_reserve:') ? 'Non réservé' : reservataire, pris),
      lignes: lignesFeuille,
      grasses,
      largeurs: [28, 28, 20, 20],
    });
  }
  return classeurXlsx({ titre: `Bilan R441-5-1 ${annee} ${bailleur}`, auteur: 'Mixité', feuilles });
}

function xlsxEpci(annee: number, lignes: readonly LigneBilanPubliee[], n: Noms): Promise<Buffer> {
  const rows: CelluleXlsx[][] = [['Bailleur', 'Nom du bailleur', 'Réservataire', 'Nom du réservataire', ...COLONNES_XLSX]];
  for (const l of lignes) {
    rows.push([
      celluleXlsx(l.bailleur_id),
      celluleXlsx(n.bailleurs.get(l.bailleur_id) ?? ''),
      celluleXlsx(l.reservataire_id),
      celluleXlsx(nomReservataire(n, l.reservataire_id)),
      LIBELLES_DIMENSION[l.dimension],
      celluleXlsx(modalite(l.dimension, l.modalite)),
      compte(l.logements_proposes),
      compte(l.logements_attribues),
    ]);
  }
  return classeurXlsx({
    titre: `Bilan R441-5-1 ${annee}`,
    auteur: 'Mixité',
    feuilles: [{ nom: `Bilan R441-5-1 ${annee}`, lignes: rows, grasses: new Set([0]), entete: 0, largeurs: [12, 32, 14, 40, 22, 22, 18, 18] }],
  });
}
