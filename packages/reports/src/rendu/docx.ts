import type { FileChild, ISectionOptions } from 'docx';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageBreak,
  PageNumber,
  PageOrientation,
  Paragraph,
  SectionType,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { Bloc, DocumentBilan, Graphique, Tableau } from '../contenu/modele.ts';
import { SECRET_SYMBOLE, lignesImprimees, texteCellule } from '../contenu/modele.ts';
import { COULEURS } from '../graphiques/svg.ts';
import { archiveZipNatif } from './zip-natif.ts';

/**
 * The editable Word document of the bilan (`docx`): a title page, a table of contents Word fills in when the
 * document opens, the chapters with real Word tables (header rows repeated on each page) and the charts as
 * PNG images with their caption and alternative text. The breakdown chapter is a landscape section.
 */

const A4 = { width: 11906, height: 16838 } as const;
const MARGE = 1021; // 1.8 cm
const LARGEUR_PORTRAIT = A4.width - 2 * MARGE;
const LARGEUR_PAYSAGE = A4.height - 2 * MARGE;
const POLICE = 'Arial';
/** Word's colours: the palette of @mixite/graphiques (hex without « # »). */
const hex = (c: string) => c.slice(1).toUpperCase();
const BLEU = hex(COULEURS.barre);
const GRIS_ENTETE = hex(COULEURS.entete);
const GRIS_ENCADRE = hex(COULEURS.encadre);
const GRIS_NOTE = hex(COULEURS.secondaire);
const BORDURE = { style: BorderStyle.SINGLE, size: 4, color: hex(COULEURS.bordure) } as const;
const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

export async function ecrireDocx(doc: DocumentBilan, images: ReadonlyMap<Graphique, Buffer>): Promise<Buffer> {
  const sections: ISectionOptions[] = [];
  const pied = () =>
    new Footer({
      children: [
        new Paragraph({
          alignment: AlignmentType.RIGHT,
          children: [new TextRun({ text: `${doc.titre} · page `, size: 16 }), new TextRun({ children: [PageNumber.CURRENT], size: 16 })],
        }),
      ],
    });
  const section = (children: FileChild[], paysage: boolean, premiere: boolean): ISectionOptions => ({
    properties: {
      ...(premiere ? {} : { type: SectionType.NEXT_PAGE }),
      page: {
        size: { width: A4.width, height: A4.height, orientation: paysage ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
        margin: { top: MARGE, bottom: MARGE, left: MARGE, right: MARGE },
      },
    },
    footers: { default: pied() },
    children,
  });

  const garde: FileChild[] = [
    new Paragraph({ spacing: { before: 3600 }, children: [] }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: doc.titre })] }),
    new Paragraph({ spacing: { after: 600 }, children: [new TextRun({ text: doc.sousTitre, size: 28 })] }),
    ...doc.mentions.map((m) => new Paragraph({ spacing: { after: 80 }, children: [new TextRun({ text: m })] })),
    new Paragraph({ children: [new PageBreak()] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Sommaire')] }),
    new TableOfContents('Sommaire', { hyperlink: true, headingStyleRange: '1-2' }),
  ];

  let courants: FileChild[] = garde;
  let paysage = false;
  let premiere = true;
  const fermer = () => {
    sections.push(section(courants, paysage, premiere));
    premiere = false;
    courants = [];
  };
  for (const b of doc.blocs) {
    if (b.kind === 'orientation') {
      fermer();
      paysage = b.paysage;
      continue;
    }
    // Each chapter starts a page (the first of a section already does).
    if (b.kind === 'titre' && b.niveau === 1 && courants.length > 0) courants.push(new Paragraph({ children: [new PageBreak()] }));
    courants.push(...bloc(b, paysage ? LARGEUR_PAYSAGE : LARGEUR_PORTRAIT, images));
  }
  fermer();

  const document = new Document({
    creator: 'Mixité',
    title: doc.titre,
    description: doc.sousTitre,
    features: { updateFields: true },
    styles: {
      default: { document: { run: { font: POLICE, size: 19 }, paragraph: { spacing: { after: 100 } } } },
      paragraphStyles: [
        { id: 'Title', name: 'Title', basedOn: 'Normal', next: 'Normal', run: { size: 44, bold: true, color: BLEU }, paragraph: { spacing: { after: 300 } } },
        { id: 'Heading1', name: 'heading 1', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 32, bold: true, color: BLEU }, paragraph: { spacing: { before: 240, after: 160 }, keepNext: true } },
        { id: 'Heading2', name: 'heading 2', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 25, bold: true }, paragraph: { spacing: { before: 240, after: 120 }, keepNext: true } },
        { id: 'Cellule', name: 'Cellule de tableau', basedOn: 'Normal', run: { size: 16 }, paragraph: { spacing: { before: 0, after: 0 } } },
        { id: 'CelluleSerree', name: 'Cellule de tableau large', basedOn: 'Normal', run: { size: 14 }, paragraph: { spacing: { before: 0, after: 0 } } },
        { id: 'Heading3', name: 'heading 3', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 21, bold: true }, paragraph: { spacing: { before: 160, after: 80 }, keepNext: true } },
      ],
    },
    sections,
  });
  return emballer(document);
}

/** docx's compiler (`Packer.compiler`, private in its types): the document's parts by path, before zipping. */
interface Compilateur {
  compile(document: Document, prettify?: undefined, overrides?: readonly never[]): unknown;
}

/**
 * The .docx file: docx writes every part, then zips them with fflate, in JavaScript on the main thread, PNG charts
 * deflated again (a quarter of the Word step's processor at EPCI scale). Its parts are zipped here instead by
 * zip-natif.ts (Node's zlib on the thread pool, jszip writing the archive): the same parts, byte for byte. docx has no
 * public way to get them; should a later docx version not have its compiler, the bilan falls back to `Packer`.
 */
async function emballer(document: Document): Promise<Buffer> {
  const compilateur = (Packer as unknown as { compiler?: Partial<Compilateur> }).compiler;
  const parties = typeof compilateur?.compile === 'function' ? compilateur.compile(document, undefined, []) : null;
  if (!(parties instanceof Map)) return Packer.toBuffer(document);
  const entrees = [...(parties as Map<unknown, unknown>)].map(([nom, contenu]) => {
    if (typeof nom !== 'string' || !(typeof contenu === 'string' || contenu instanceof Uint8Array)) throw new TypeError(`partie du Word inattendue : ${String(nom)}`);
    return { nom, contenu: typeof contenu === 'string' ? contenu : Buffer.from(contenu.buffer, contenu.byteOffset, contenu.byteLength) };
  });
  return archiveZipNatif(entrees, new Date());
}

function bloc(b: Exclude<Bloc, { kind: 'orientation' }>, largeur: number, images: ReadonlyMap<Graphique, Buffer>): FileChild[] {
  switch (b.kind) {
    case 'titre':
      return [new Paragraph({ heading: HEADINGS[b.niveau], children: [new TextRun(b.texte)] })];
    case 'paragraphe':
      if (b.style === 'note') return [new Paragraph({ children: [new TextRun({ text: b.texte, italics: true, size: 17, color: GRIS_NOTE })] })];
      if (b.style === 'encadre') {
        return [
          new Paragraph({
            shading: { type: ShadingType.CLEAR, fill: GRIS_ENCADRE, color: 'auto' },
            border: { left: { style: BorderStyle.SINGLE, size: 18, color: BLEU, space: 6 } },
            children: [new TextRun(b.texte)],
          }),
        ];
      }
      return [new Paragraph({ children: [new TextRun(b.texte)] })];
    case 'liste':
      return b.items.map(
        (i) =>
          new Paragraph({
            bullet: { level: 0 },
            children: [new TextRun(i.texte)],
          }),
      );
    case 'tableau':
      return tableau(b, largeur);
    case 'graphique':
      return graphique(b, largeur, images.get(b));
  }
}

/**
 * A Word table. Borders, cell margins and widths are set once on the table (its grid), not on each cell, and the
 * cell text takes a paragraph style: a breakdown of a thousand rows stays a few seconds to write.
 */
function tableau(t: Tableau, largeur: number): FileChild[] {
  const n = t.colonnes.length;
  const style = n > 9 ? 'CelluleSerree' : 'Cellule';
  const premiere = Math.round(largeur * (n <= 2 ? 0.35 : n <= 4 ? 0.4 : n > 9 ? 0.22 : 0.3));
  const autres = n > 1 ? Math.floor((largeur - premiere) / (n - 1)) : 0;
  const largeurs = t.colonnes.map((_, i) => (i === 0 ? (n === 1 ? largeur : premiere) : autres));
  const cellule = (texte: string, options: { entete?: boolean; gras?: boolean; droite?: boolean }) =>
    new TableCell({
      ...(options.entete ? { shading: { type: ShadingType.CLEAR, fill: GRIS_ENTETE, color: 'auto' } } : {}),
      children: [
        new Paragraph({
          style,
          ...(options.droite ? { alignment: AlignmentType.RIGHT } : {}),
          children: [options.gras ? new TextRun({ text: texte, bold: true }) : new TextRun(texte)],
        }),
      ],
    });
  const { lignes, notes: notesDuTableau } = lignesImprimees(t);
  const rows = [
    new TableRow({ tableHeader: true, cantSplit: true, children: t.colonnes.map((c) => cellule(c, { entete: true, gras: true })) }),
    ...lignes.map(
      (l) =>
        new TableRow({
          cantSplit: true,
          children: l.cellules.map((c) => cellule(texteCellule(c), { gras: l.total === true, droite: c.kind !== 'texte' })),
        }),
    ),
  ];
  const secret = lignes.some((l) => l.cellules.some((c) => c.kind === 'secret'));
  const notes = [...notesDuTableau, ...(secret ? [`« ${SECRET_SYMBOLE} » : secret statistique.`] : [])];
  return [
    new Paragraph({ keepNext: true, spacing: { before: 160, after: 60 }, children: [new TextRun({ text: `Tableau ${t.numero} : ${t.titre}`, bold: true })] }),
    new Table({
      rows,
      width: { size: largeur, type: WidthType.DXA },
      columnWidths: largeurs,
      layout: TableLayoutType.FIXED,
      borders: { top: BORDURE, bottom: BORDURE, left: BORDURE, right: BORDURE, insideHorizontal: BORDURE, insideVertical: BORDURE },
      margins: { top: 25, bottom: 25, left: 60, right: 60 },
    }),
    ...notes.map((note) => new Paragraph({ spacing: { after: 40 }, children: [new TextRun({ text: note, italics: true, size: 15, color: GRIS_NOTE })] })),
  ];
}

function graphique(g: Graphique, largeurTwips: number, png: Buffer | undefined): FileChild[] {
  const legende = new Paragraph({
    keepNext: true,
    spacing: { before: 160, after: 60 },
    children: [new TextRun({ text: `Graphique ${g.numero} : ${g.titre} `, bold: true }), new TextRun({ text: `(source : tableau ${g.tableau})`, italics: true })],
  });
  if (!png) return [legende, new Paragraph({ children: [new TextRun({ text: g.description, italics: true })] })];
  // Twips to pixels at 96 dpi: 1 px = 15 twips. The chart keeps its proportions, at most the text width.
  const largeur = Math.min(g.largeur, Math.floor(largeurTwips / 15));
  const hauteur = Math.round((g.hauteur * largeur) / g.largeur);
  return [
    legende,
    new Paragraph({
      children: [
        new ImageRun({ type: 'png', data: png, transformation: { width: largeur, height: hauteur }, altText: { name: `graphique-${g.numero}`, title: g.titre, description: g.description } }),
      ],
    }),
  ];
}
