import type { Edition } from '@mixite/core';
import { MENTION_DIFFUSION_RESTREINTE } from '@mixite/core';
import type { Bloc, DocumentBilan } from '../contenu/modele.ts';

/**
 * The mark of an edition on the document (issue 12, item 2). The partners' edition prints every count: each table
 * carries « Diffusion restreinte aux membres de la CIL » as its first note, the title page says it, and the title —
 * which the Word footer repeats on every page, as the PDF footer does with its own text — says it too. The
 * public edition says that secrecy applied, on the title page.
 */
export function marquerEdition(document: DocumentBilan, edition: Edition, seuil: number): DocumentBilan {
  if (edition === 'public') {
    return { ...document, mentions: [...document.mentions, `Édition publique : secret statistique appliqué (cases de 1 à ${seuil - 1} ménages masquées, et celles qui permettraient de les recalculer).`] };
  }
  const blocs = document.blocs.map((b): Bloc => (b.kind === 'tableau' ? { ...b, notes: [`${MENTION_DIFFUSION_RESTREINTE}.`, ...b.notes] } : b));
  return {
    ...document,
    titre: `${document.titre} (${MENTION_DIFFUSION_RESTREINTE.toLowerCase()})`,
    mentions: [...document.mentions, `Édition partenaires : ${MENTION_DIFFUSION_RESTREINTE.toLowerCase()}. Aucun secret statistique n’est appliqué.`],
    blocs,
  };
}

/** The name of a bilan file: the year and the edition (bilan-2024-partenaires.pdf). */
export const nomFichierBilan = (annee: number, edition: Edition, format: 'docx' | 'pdf' | 'xlsx'): string => `bilan-${annee}-${edition}.${format}`;
