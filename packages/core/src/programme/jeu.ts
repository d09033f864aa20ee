import type { ProgrammeActions, StatutFiche } from './modele.ts';
import type { CibleEngagement, GenreInstance, Reunion, StatutEngagement } from './gouvernance.ts';

/**
 * A whole action programme with its follow-up, as one value: what the demo territory generates
 * (packages/demo/src/programme.ts) and the store loads at once (data/src/programme/jeu.ts). Instances are named by
 * a key of the set (their store ids do not exist yet); every dated entry carries its own date, so that the set is
 * the same at every generation.
 */
export interface JeuProgramme {
  readonly programme: ProgrammeActions;
  readonly statuts: readonly { readonly numero: number; readonly annee: number; readonly statut: StatutFiche; readonly date: string; readonly auteur: string; readonly role: string }[];
  readonly commentaires: readonly {
    readonly numero: number;
    readonly annee: number;
    readonly partenaire: string;
    readonly texte: string;
    readonly date: string;
    readonly auteur: string;
    readonly role: string;
  }[];
  readonly instances: readonly { readonly cle: string; readonly genre: GenreInstance; readonly nom: string; readonly membres: readonly string[]; readonly frequence: string | null }[];
  /** Meetings as entered, their instance named by its key in this set. */
  readonly reunions: readonly (Omit<Reunion, 'id' | 'instance_id' | 'auteur' | 'date_modification'> & { readonly instance: string })[];
  readonly engagements: readonly {
    readonly partenaire: string;
    readonly fiche: number | null;
    readonly libelle: string;
    readonly echeance: string | null;
    readonly statut: StatutEngagement;
    readonly quantifie: CibleEngagement | null;
  }[];
}
