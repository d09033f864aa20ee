import type { Bloc, Cellule, DocumentBilan, Graphique, Tableau } from '../contenu/modele.ts';
import { SECRET_SYMBOLE, lignesImprimees, texteCellule } from '../contenu/modele.ts';
import { COULEURS, echapperXml as e } from '../graphiques/svg.ts';

/**
 * The bilan as one HTML page, printed to PDF by Chromium: A4, the breakdown chapter on landscape pages (CSS
 * named pages), charts inline as SVG (vector in the PDF), table headers repeated on each page.
 */

const STYLE = `
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
@page paysage { size: A4 landscape; margin: 14mm 12mm 16mm 12mm; }
section.paysage { page: paysage; }
section { break-before: page; }
html { font-family: 'Liberation Sans', Arial, Helvetica, sans-serif; font-size: 9.5pt; color: ${COULEURS.texte}; line-height: 1.35; }
body { margin: 0; }
.garde { height: 240mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
.garde h1 { font-size: 24pt; margin: 0 0 8mm; color: ${COULEURS.barre}; }
.garde .sous-titre { font-size: 13pt; margin-bottom: 14mm; }
.garde p { margin: 1.5mm 0; }
h1 { font-size: 16pt; color: ${COULEURS.barre}; margin: 0 0 4mm; break-after: avoid; }
h2 { font-size: 12.5pt; margin: 6mm 0 2.5mm; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4mm 0 2mm; break-after: avoid; }
p { margin: 1.8mm 0; }
p.note { font-size: 8.5pt; color: ${COULEURS.secondaire}; font-style: italic; }
p.encadre { border-left: 3px solid ${COULEURS.barre}; background: ${COULEURS.encadre}; padding: 2mm 3mm; }
ul { margin: 2mm 0; padding-left: 6mm; }
li { margin: 1.2mm 0; }
li.alerte::marker { color: ${COULEURS.nonAtteint}; }
li.vigilance::marker { color: ${COULEURS.cible}; }
.legende { font-weight: bold; margin: 4mm 0 1.5mm; break-after: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin-bottom: 1mm; }
table.serre { font-size: 7.2pt; }
th, td { border: 0.5px solid ${COULEURS.bordure}; padding: 0.8mm 1.2mm; vertical-align: top; }
th { background: ${COULEURS.entete}; text-align: left; font-weight: bold; }
td.n { text-align: right; white-space: nowrap; }
td.s { text-align: right; color: ${COULEURS.secondaire}; }
tr.total td { font-weight: bold; border-top: 1.2px solid ${COULEURS.secondaire}; }
tr { break-inside: avoid; }
.notes p { font-size: 7.8pt; color: ${COULEURS.secondaire}; margin: 0.6mm 0; }
figure { margin: 3mm 0 4mm; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: bold; margin-bottom: 1.5mm; }
figcaption .source { font-weight: normal; font-style: italic; }
nav ol { padding-left: 6mm; }
nav a { color: inherit; text-decoration: none; }
`;

export function ecrireHtml(doc: DocumentBilan): string {
  const ancres = new Map<Bloc, string>();
  let k = 0;
  for (const b of doc.blocs) if (b.kind === 'titre' && b.niveau <= 2) ancres.set(b, `s${++k}`);
  const sommaire = doc.blocs
    .filter((b): b is Extract<Bloc, { kind: 'titre' }> => b.kind === 'titre' && b.niveau === 1)
    .map((b) => `<li><a href="#${ancres.get(b)}">${e(b.texte)}</a></li>`)
    .join('');
  const sections: string[] = [];
  let courante: string[] = [];
  let paysage = false;
  const fermer = () => {
    if (courante.length > 0) sections.push(`<section class="${paysage ? 'paysage' : 'portrait'}">${courante.join('\n')}</section>`);
    courante = [];
  };
  for (const b of doc.blocs) {
    if (b.kind === 'orientation') {
      fermer();
      paysage = b.paysage;
      continue;
    }
    // Each chapter starts a page.
    if (b.kind === 'titre' && b.niveau === 1) fermer();
    courante.push(bloc(b, ancres.get(b)));
  }
  fermer();
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${e(doc.titre)}</title><style>${STYLE}</style></head>
<body>
<div class="garde"><h1>${e(doc.titre)}</h1><div class="sous-titre">${e(doc.sousTitre)}</div>${doc.mentions.map((m) => `<p>${e(m)}</p>`).join('')}
<nav><h2>Sommaire</h2><ol>${sommaire}</ol></nav></div>
${sections.join('\n')}
</body></html>`;
}

function bloc(b: Bloc, ancre: string | undefined): string {
  switch (b.kind) {
    case 'titre':
      return `<h${b.niveau}${ancre ? ` id="${ancre}"` : ''}>${e(b.texte)}</h${b.niveau}>`;
    case 'paragraphe':
      return `<p${b.style ? ` class="${b.style}"` : ''}>${e(b.texte)}</p>`;
    case 'liste':
      return `<ul>${b.items
        .map((i) => `<li${i.niveau ? ` class="${i.niveau}"` : ''}>${e(i.texte)}</li>`)
        .join('')}</ul>`;
    case 'tableau':
      return tableau(b);
    case 'graphique':
      return graphique(b);
    case 'orientation':
      return '';
  }
}

const classe = (c: Cellule) => (c.kind === 'texte' ? '' : c.kind === 'secret' || c.kind === 'vide' ? ' class="s"' : ' class="n"');

function tableau(t: Tableau): string {
  const { lignes, notes: notesDuTableau } = lignesImprimees(t);
  const secret = lignes.some((l) => l.cellules.some((c) => c.kind === 'secret'));
  const notes = [...notesDuTableau, ...(secret ? [`« ${SECRET_SYMBOLE} » : secret statistique.`] : [])];
  return `<div class="legende" id="tableau-${t.numero}">Tableau ${t.numero} : ${e(t.titre)}</div>
<table${t.colonnes.length > 9 ? ' class="serre"' : ''} data-tableau="${e(t.id)}"><thead><tr>${t.colonnes.map((c) => `<th>${e(c)}</th>`).join('')}</tr></thead><tbody>
${lignes.map((l) => `<tr${l.total ? ' class="total"' : ''}>${l.cellules.map((c) => `<td${classe(c)}>${e(texteCellule(c))}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>${notes.length > 0 ? `<div class="notes">${notes.map((n) => `<p>${e(n)}</p>`).join('')}</div>` : ''}`;
}

function graphique(g: Graphique): string {
  return `<figure aria-label="${e(g.description)}"><figcaption>Graphique ${g.numero} : ${e(g.titre)} <span class="source">(source : tableau ${g.tableau})</span></figcaption>${g.svg}</figure>`;
}
