import type { CotationAExpliquer } from '@mixite/core';
import { delaiEnMots, pointsEnMots, positionnementEnMots, similairesEnMots } from '@mixite/core';
import { formatDateLongue, formatNombre, pourDocument } from '@mixite/core/francais';
import { POLICE } from '../rendu/polices.ts';
import { compilerTypst } from '../rendu/pdf.ts';
import { chaine } from '../rendu/typst.ts';

/**
 * The applicant's letter (issue 15 item 5; L441-2-8 CCH): one page, in plain French, telling a demandeur the note of
 * their request, how it is made line by line, its positioning among similar requests (and what « similar » means)
 * and the average waiting time of similar requests — the words of core's information-demandeur.ts, the same as the
 * request view of the Cotation page. Typeset by Typst like the bilan (decision 0006): a tagged PDF, no browser, the
 * shipped font only. Every text goes in as a Typst string literal, never as markup.
 */

export interface Lettre {
  readonly nur: string;
  /** Reference date of the cotation (AAAA-MM-JJ). */
  readonly date: string;
  readonly grille: { readonly nom: string; readonly version: string };
  /** Who writes: the EPCI (its name), shown in the header. */
  readonly emetteur: string;
  readonly cotation: CotationAExpliquer;
}

/** The letter's paragraphs as plain text (the PDF's content; a test reads them back with pdftotext). */
export function paragraphesLettre(l: Lettre): { titre: string; paragraphes: string[]; points: string[]; fin: string[] } {
  const c = l.cotation;
  return {
    titre: 'Votre demande de logement social : sa cotation',
    paragraphes: [
      `Demande n° ${l.nur}`,
      'Madame, Monsieur,',
      `Au ${formatDateLongue(l.date)}, votre demande a obtenu la note de ${formatNombre(c.note)} points, calculée avec la grille de cotation « ${l.grille.nom} » (version ${l.grille.version}) adoptée pour le territoire. Voici comment cette note est faite :`,
    ],
    points: c.lignes.length > 0 ? c.lignes.map(pointsEnMots) : ['Aucun critère de la grille ne s’applique à votre demande pour le moment.'],
    fin: [
      `Votre positionnement : ${positionnementEnMots(c)}. Les demandes similaires à la vôtre sont ${similairesEnMots(c.cle_similarite)}.`,
      `Délai moyen d’attente des demandes similaires : ${delaiEnMots(c)}.`,
      'La note aide la commission d’attribution des logements (CALEOL) à examiner les demandes ; elle ne décide pas à sa place, et elle change quand votre situation ou votre ancienneté change. Si une information de votre demande n’est plus exacte, mettez-la à jour : votre note en tiendra compte.',
      'Cette information vous est donnée en application de l’article L441-2-8 du code de la construction et de l’habitation.',
    ],
  };
}

function sourceTypst(l: Lettre): string {
  const p = paragraphesLettre(l);
  const t = (s: string) => chaine(pourDocument(s));
  return `#set document(title: ${t(p.titre)}, author: ${t(l.emetteur)})
#set text(lang: "fr", region: "FR", font: ${chaine(POLICE)}, size: 11pt, hyphenate: false)
#set par(leading: 0.6em, spacing: 1em, justify: false)
#set page(paper: "a4", margin: (top: 22mm, bottom: 22mm, left: 22mm, right: 22mm))
#text(size: 10pt, ${t(l.emetteur)})
#v(8mm)
#heading(level: 1, ${t(p.titre)})
#v(4mm)
${p.paragraphes.map((x) => `#par(${t(x)})`).join('\n')}
#list(${p.points.map(t).join(', ')})
${p.fin.map((x) => `#par(${t(x)})`).join('\n')}
`;
}

/** The letter as a PDF (same worker and font as the bilan's PDF: rendu/pdf.ts `compilerTypst`). */
export function lettrePdf(l: Lettre, date: Date = new Date()): Promise<Buffer> {
  return compilerTypst('/mixite-lettre', sourceTypst(l), [], date);
}
