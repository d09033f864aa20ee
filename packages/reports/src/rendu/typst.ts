import type { Bloc, Cellule, DocumentBilan, Graphique, Tableau } from '../contenu/modele.ts';
import { SECRET_SYMBOLE, lignesImprimees, texteCellule } from '../contenu/modele.ts';
import { COULEURS } from '../graphiques/svg.ts';
import { POLICE, avecPoliceEmbarquee } from './polices.ts';

/**
 * The bilan as a Typst document, compiled to a tagged PDF by rendu/pdf.ts: A4, the breakdown chapter on landscape
 * pages, charts as vector SVG with their alternative text, table headers repeated on each page (and tagged as
 * headers), headings tagged and bookmarked, the document's language and title set. Every text of the model goes in
 * as a Typst string literal (escaped), never as markup: no character of a territory's name can change the layout.
 */

/** The folder the compiler sees: the charts are mapped there in memory, nothing is read from disk. */
export const RACINE_TYPST = '/mixite-bilan';

export interface SourceTypst {
  readonly source: string;
  /** The files the source reads (paths from the project's root, RACINE_TYPST), i.e. the charts' SVG. */
  readonly fichiers: ReadonlyMap<string, string>;
}

/** A Typst string literal. */
export const chaine = (s: string): string => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n').replaceAll('\r', '')}"`;
const couleur = (hex: string) => `rgb(${chaine(hex)})`;

/** Sizes of the HTML print it replaces (9,5 pt body, A4 margins in mm). */
const LARGEUR_TEXTE_PT = { portrait: (210 - 30) * (72 / 25.4), paysage: (297 - 24) * (72 / 25.4) } as const;

const PREAMBULE = (doc: DocumentBilan, pied: string) => `#set document(title: ${chaine(doc.titre)}, author: "Mixité", description: ${chaine(doc.sousTitre)})
#set text(lang: "fr", region: "FR", font: ${chaine(POLICE)}, size: 9.5pt, fill: ${couleur(COULEURS.texte)}, hyphenate: false)
#set par(leading: 0.5em, spacing: 0.9em)
#let portrait = (paper: "a4", flipped: false, margin: (top: 16mm, bottom: 18mm, left: 15mm, right: 15mm))
#let paysage = (paper: "a4", flipped: true, margin: (top: 14mm, bottom: 16mm, left: 12mm, right: 12mm))
#set page(..portrait, footer: context {
  set text(size: 8pt, fill: ${couleur(COULEURS.secondaire)})
  [#${chaine(pied)} #h(1fr) page #counter(page).display() sur #counter(page).final().first()]
})
#show heading: set text(weight: "bold")
#show heading.where(level: 1): set text(size: 16pt, fill: ${couleur(COULEURS.barre)})
#show heading.where(level: 1): set block(above: 0pt, below: 4mm)
#show heading.where(level: 2): set text(size: 12.5pt)
#show heading.where(level: 2): set block(above: 6mm, below: 2.5mm)
#show heading.where(level: 3): set text(size: 10.5pt)
#show heading.where(level: 3): set block(above: 4mm, below: 2mm)
#set table(stroke: 0.5pt + ${couleur(COULEURS.bordure)}, inset: (x: 1.2mm, y: 0.8mm))
#show table.cell.where(y: 0): set text(weight: "bold")
#let legende(t) = block(above: 4mm, below: 1.5mm, sticky: true, strong(t))
#let note(t) = block(above: 0.6mm, below: 0.6mm, text(size: 7.8pt, fill: ${couleur(COULEURS.secondaire)}, t))
#let masque(t) = text(fill: ${couleur(COULEURS.secondaire)}, t)
#let total(t) = strong(t)
`;

const PAGE_DE_GARDE = (doc: DocumentBilan) => `#block(height: 100%, width: 100%)[
#v(1fr)
#text(size: 24pt, weight: "bold", fill: ${couleur(COULEURS.barre)}, ${chaine(doc.titre)})
#v(8mm)
#text(size: 13pt, ${chaine(doc.sousTitre)})
#v(14mm)
${doc.mentions.map((m) => `#par(${chaine(m)})`).join('\n')}
#v(6mm)
#outline(title: "Sommaire", depth: 1, indent: 0pt)
#v(1fr)
]`;

export function ecrireTypst(doc: DocumentBilan, piedDePage: string): SourceTypst {
  const fichiers = new Map<string, string>();
  const morceaux: string[] = [PREAMBULE(doc, piedDePage), PAGE_DE_GARDE(doc)];
  let paysage = false;
  for (const b of doc.blocs) {
    if (b.kind === 'orientation') {
      // A new page setting starts a page of its own.
      paysage = b.paysage;
      morceaux.push(`#set page(..${paysage ? 'paysage' : 'portrait'})`);
      continue;
    }
    // Each chapter starts a page (a weak break: none right after an orientation change).
    if (b.kind === 'titre' && b.niveau === 1) morceaux.push('#pagebreak(weak: true)');
    morceaux.push(bloc(b, paysage ? LARGEUR_TEXTE_PT.paysage : LARGEUR_TEXTE_PT.portrait, fichiers));
  }
  return { source: morceaux.join('\n\n'), fichiers };
}

function bloc(b: Exclude<Bloc, { kind: 'orientation' }>, largeurTexte: number, fichiers: Map<string, string>): string {
  switch (b.kind) {
    case 'titre':
      return `#heading(level: ${b.niveau}, ${chaine(b.texte)})`;
    case 'paragraphe':
      if (b.style === 'note') return `#par(text(size: 8.5pt, style: "italic", fill: ${couleur(COULEURS.secondaire)}, ${chaine(b.texte)}))`;
      if (b.style === 'encadre') {
        return `#block(width: 100%, fill: ${couleur(COULEURS.encadre)}, stroke: (left: 3pt + ${couleur(COULEURS.barre)}), inset: (x: 3mm, y: 2mm), par(${chaine(b.texte)}))`;
      }
      return `#par(${chaine(b.texte)})`;
    case 'liste':
      return `#list(${b.items.map((i) => chaine(i.texte)).join(', ')})`;
    case 'tableau':
      return tableau(b);
    case 'graphique':
      return graphique(b, largeurTexte, fichiers);
  }
}

/**
 * Column widths as a browser's automatic table layout would share them: in proportion to each column's longest
 * cell (headers may wrap at their longest word; a very long label wraps rather than squeezing the figures).
 */
export function largeursColonnes(entetes: readonly string[], lignes: readonly (readonly string[])[]): number[] {
  return entetes.map((entete, c) => {
    const motLePlusLong = Math.max(...entete.split(/\s+/).map((m) => m.length));
    const cellule = Math.max(0, ...lignes.map((l) => (l[c] ?? '').length));
    return Math.max(motLePlusLong, Math.min(cellule, c === 0 ? 42 : 24), 3) + 2;
  });
}

const estTexte = (c: Cellule) => c.kind === 'texte';

function tableau(t: Tableau): string {
  const { lignes, notes: notesDuTableau } = lignesImprimees(t);
  const textes = lignes.map((l) => l.cellules.map(texteCellule));
  const largeurs = largeursColonnes(t.colonnes, textes);
  // Figures to the right, as in the Word document: a column is right-aligned when none of its cells is text.
  const alignements = t.colonnes.map((_, c) => (lignes.length > 0 && lignes.every((l) => !estTexte(l.cellules[c] ?? { kind: 'vide' })) ? 'right' : 'left'));
  const secret = lignes.some((l) => l.cellules.some((c) => c.kind === 'secret'));
  const notes = [...notesDuTableau, ...(secret ? [`« ${SECRET_SYMBOLE} » : secret statistique.`] : [])];
  const corps = lignes.map((l, i) => {
    const cellules = l.cellules.map((c, j) => {
      const s = chaine(textes[i]?.[j] ?? '');
      if (c.kind === 'secret' || c.kind === 'vide') return `masque(${s})`;
      return l.total ? `total(${s})` : s;
    });
    // A total row is closed from above by a darker rule.
    return `${l.total ? `table.hline(stroke: 1.2pt + ${couleur(COULEURS.secondaire)}), ` : ''}${cellules.join(', ')},`;
  });
  const taille = t.colonnes.length > 9 ? '7.2pt' : '8pt';
  return `#legende(${chaine(`Tableau ${t.numero} : ${t.titre}`)})
#block(above: 0pt, below: 1mm, text(size: ${taille}, table(
columns: (${largeurs.map((l) => `${l}fr`).join(', ')}),
align: (${alignements.join(', ')},),
table.header(repeat: true, ${t.colonnes.map((c) => `table.cell(fill: ${couleur(COULEURS.entete)}, ${chaine(c)})`).join(', ')}),
${corps.join('\n')}
)))
${notes.map((n) => `#note(${chaine(n)})`).join('\n')}`;
}

function graphique(g: Graphique, largeurTexte: number, fichiers: Map<string, string>): string {
  const chemin = `/graphique-${g.numero}.svg`;
  fichiers.set(chemin, avecPoliceEmbarquee(g.svg));
  // The SVG's pixels are CSS pixels (0,75 pt), as the HTML printed them; never wider than the text.
  const largeur = Math.min(g.largeur * 0.75, largeurTexte);
  return `#block(breakable: false, above: 3mm, below: 4mm)[
#strong(${chaine(`Graphique ${g.numero} : ${g.titre}`)}) #emph(${chaine(`(source : tableau ${g.tableau})`)})
#image(${chaine(chemin)}, width: ${largeur.toFixed(1)}pt, alt: ${chaine(g.description)})
]`;
}
