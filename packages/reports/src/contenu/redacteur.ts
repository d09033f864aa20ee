import type { SvgGraphique } from '../graphiques/svg.ts';
import type { Bloc, Graphique, Ligne, NiveauAttention, Tableau } from './modele.ts';

/** Accumulates the blocks of the document and numbers its tables and charts in reading order. */
export class Redacteur {
  readonly blocs: Bloc[] = [];
  private tableaux = 0;
  private graphiques = 0;

  titre(niveau: 1 | 2 | 3, texte: string): void {
    this.blocs.push({ kind: 'titre', niveau, texte });
  }

  paragraphe(texte: string, style?: 'note' | 'encadre'): void {
    this.blocs.push(style ? { kind: 'paragraphe', texte, style } : { kind: 'paragraphe', texte });
  }

  /** A new page, landscape or portrait from here on. */
  orientation(paysage: boolean): void {
    this.blocs.push({ kind: 'orientation', paysage });
  }

  liste(items: readonly (string | { texte: string; niveau?: NiveauAttention })[]): void {
    if (items.length === 0) return;
    this.blocs.push({ kind: 'liste', items: items.map((i) => (typeof i === 'string' ? { texte: i } : i)) });
  }

  tableau(
    id: string,
    titre: string,
    colonnes: readonly string[],
    lignes: readonly Ligne[],
    notes: readonly string[] = [],
    extrait?: Tableau['extrait'],
  ): Tableau {
    const t: Tableau = extrait
      ? { kind: 'tableau', id, numero: ++this.tableaux, titre, colonnes, lignes, notes, extrait }
      : { kind: 'tableau', id, numero: ++this.tableaux, titre, colonnes, lignes, notes };
    this.blocs.push(t);
    return t;
  }

  /** A chart drawn from `source` (placed after it): its caption names the table. */
  graphique(id: string, titre: string, dessin: SvgGraphique, description: string, source: Tableau): Graphique {
    const g: Graphique = {
      kind: 'graphique',
      id,
      numero: ++this.graphiques,
      titre,
      svg: dessin.svg,
      largeur: dessin.largeur,
      hauteur: dessin.hauteur,
      description,
      tableau: source.numero,
    };
    this.blocs.push(g);
    return g;
  }
}
