import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DimensionBilan } from '@mixite/core';
import { DIMENSIONS_BILAN, LIBELLES_DIMENSION, celluleXlsx } from '@mixite/core';
import { formatEntier } from '@mixite/core/francais';
import type { Store } from '@mixite/data';
import { bilanFlux, configurationCourante } from '@mixite/data';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import ExcelJS from 'exceljs';
import type { LigneBilanPubliee } from './secret-bilan-flux.ts';
import { publierBilanFlux } from './secret-bilan-flux.ts';

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
  mkdirSync(o.dossier, { recursive: true });
  const parBailleur = new Map<string, LigneBilanPubliee[]>();
  for (const l of lignes) parBailleur.set(l.bailleur_id, [...(parBailleur.get(l.bailleur_id) ?? []), l]);
  const suffixe = seuil === null ? '' : '-publique';
  const fichiers: string[] = [];
  for (const [bailleur, siennes] of parBailleur) {
    const chemin = join(o.dossier, `bilan-flux-${o.annee}-${bailleur}${suffixe}.${o.format}`);
    writeFileSync(chemin, o.format === 'docx' ? await docxDuBailleur(o.annee, bailleur, siennes, n) : await xlsxDuBailleur(o.annee, bailleur, siennes, n));
    fichiers.push(chemin);
  }
  if (o.format === 'xlsx' && !o.bailleur) {
    const chemin = join(o.dossier, `bilan-flux-${o.annee}-epci${suffixe}.xlsx`);
    writeFileSync(chemin, await xlsxEpci(o.annee, lignes, n));
    fichiers.push(chemin);
  }
  return fichiers;
}

/** The bailleur's rows grouped by réservataire, in the bilan's order. */
function parReservataire(lignes: readonly LigneBilanPubliee[]): Map<string, LigneBilanPubliee[]> {
  const m = new Map<string, LigneBilanPubliee[]>();
  for (const l of lignes) m.set(l.reservataire_id, [...(m.get(l.reservataire_id) ?? []), l]);
  return m;
}

const valeur = (x: number | null) => (x === null ? SECRET : formatEntier(x));
const modalite = (d: DimensionBilan, m: string) => (d === 'ensemble' ? 'Ensemble' : d === 'qpv' ? (m === 'qpv' ? 'En QPV' : 'Hors QPV') : m.replaceAll('_', ' '));

const INTRO = (annee: number) =>
  `Bilan annuel prévu à l’article R441-5-1 du code de la construction et de l’habitation : logements proposés et logements attribués en ${annee}, par réservataire, typologie, financement, localisation en ou hors quartier prioritaire de la politique de la ville, commune et période de construction. Un logement proposé plusieurs fois dans l’année compte une fois.`;

async function docxDuBailleur(annee: number, bailleur: string, lignes: readonly LigneBilanPubliee[], n: Noms): Promise<Buffer> {
  const enfants: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(`Bilan ${annee} des logements proposés et attribués — ${n.bailleurs.get(bailleur) ?? bailleur}`)] }),
    new Paragraph({ children: [new TextRun(INTRO(annee))] }),
  ];
  if (lignes.some((l) => l.secret)) enfants.push(new Paragraph({ children: [new TextRun(`« ${SECRET} » : effectif masqué (secret statistique).`)] }));
  for (const [reservataire, siennes] of parReservataire(lignes)) {
    enfants.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(nomReservataire(n, reservataire))] }));
    for (const dimension of DIMENSIONS_BILAN) {
      const rows = siennes.filter((l) => l.dimension === dimension);
      if (rows.length === 0) continue;
      if (dimension !== 'ensemble') enfants.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(LIBELLES_DIMENSION[dimension])] }));
      enfants.push(tableau([LIBELLES_DIMENSION[dimension], 'Logements proposés', 'Logements attribués'], rows.map((l) => [modalite(dimension, l.modalite), valeur(l.logements_proposes), valeur(l.logements_attribues)])));
    }
  }
  const document = new Document({ creator: 'Mixité', title: `Bilan R441-5-1 ${annee} ${bailleur}`, language: 'fr-FR', sections: [{ children: enfants }] } as never);
  return Packer.toBuffer(document);
}

function tableau(entetes: readonly string[], lignes: readonly (readonly string[])[]): Table {
  const cellule = (texte: string, i: number, gras = false) =>
    new TableCell({ children: [new Paragraph({ alignment: i === 0 ? AlignmentType.LEFT : AlignmentType.RIGHT, children: [new TextRun({ text: texte, bold: gras })] })] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: entetes.map((e, i) => cellule(e, i, true)) }), ...lignes.map((l) => new TableRow({ children: l.map((c, i) => cellule(c, i)) }))],
  });
}

const COLONNES_XLSX = ['Dimension', 'Modalité', 'Logements proposés', 'Logements attribués'];

function ajouterLignes(feuille: ExcelJS.Worksheet, lignes: readonly LigneBilanPubliee[]): void {
  for (const l of lignes) feuille.addRow([LIBELLES_DIMENSION[l.dimension], modalite(l.dimension, l.modalite), l.logements_proposes ?? SECRET, l.logements_attribues ?? SECRET].map(celluleXlsx));
}

/** Sheet names: at most 31 characters, without : \ / ? * [ ], unique. */
function nomFeuille(base: string, pris: Set<string>): string {
  const propre = base.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28);
  let nom = propre;
  for (let i = 2; pris.has(nom.toLowerCase()); i++) nom = `${propre.slice(0, 26)} ${i}`;
  pris.add(nom.toLowerCase());
  return nom;
}

async function xlsxDuBailleur(annee: number, bailleur: string, lignes: readonly LigneBilanPubliee[], n: Noms): Promise<Buffer> {
  const classeur = new ExcelJS.Workbook();
  classeur.creator = 'Mixité';
  const pris = new Set<string>();
  const sommaire = classeur.addWorksheet(nomFeuille('Sommaire', pris));
  sommaire.addRow([celluleXlsx(`Bilan ${annee} des logements proposés et attribués — ${n.bailleurs.get(bailleur) ?? bailleur}`)]);
  sommaire.addRow([INTRO(annee)]);
  sommaire.addRow([]);
  sommaire.addRow(['Réservataire', 'Logements proposés', 'Logements attribués']);
  const groupes = parReservataire(lignes);
  for (const [reservataire, siennes] of groupes) {
    const ensemble = siennes.find((l) => l.dimension === 'ensemble');
    sommaire.addRow([nomReservataire(n, reservataire), ensemble?.logements_proposes ?? SECRET, ensemble?.logements_attribues ?? SECRET].map(celluleXlsx));
  }
  for (const [reservataire, siennes] of groupes) {
    const feuille = classeur.addWorksheet(nomFeuille(reservataire.startsWith('non_reserve:') ? 'Non réservé' : reservataire, pris));
    feuille.addRow([celluleXlsx(nomReservataire(n, reservataire))]);
    feuille.addRow(COLONNES_XLSX).font = { bold: true };
    ajouterLignes(feuille, siennes);
    feuille.columns.forEach((c, i) => (c.width = i < 2 ? 28 : 20));
  }
  return Buffer.from(await classeur.xlsx.writeBuffer());
}

async function xlsxEpci(annee: number, lignes: readonly LigneBilanPubliee[], n: Noms): Promise<Buffer> {
  const classeur = new ExcelJS.Workbook();
  classeur.creator = 'Mixité';
  const feuille = classeur.addWorksheet(`Bilan R441-5-1 ${annee}`);
  feuille.addRow(['Bailleur', 'Nom du bailleur', 'Réservataire', 'Nom du réservataire', ...COLONNES_XLSX]).font = { bold: true };
  for (const l of lignes) {
    feuille.addRow([
      l.bailleur_id,
      n.bailleurs.get(l.bailleur_id) ?? '',
      l.reservataire_id,
      nomReservataire(n, l.reservataire_id),
      LIBELLES_DIMENSION[l.dimension],
      modalite(l.dimension, l.modalite),
      l.logements_proposes ?? SECRET,
      l.logements_attribues ?? SECRET,
    ].map(celluleXlsx));
  }
  feuille.autoFilter = { from: 'A1', to: 'H1' };
  return Buffer.from(await classeur.xlsx.writeBuffer());
}
