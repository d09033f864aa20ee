import type { JeuProgramme } from '@mixite/core';
import { DonneesInvalidesError } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { ajouterCommentaire, definirStatut, ecrireProgramme } from './depot.ts';
import { creerEngagement, creerInstance, creerReunion } from './gouvernance.ts';

/**
 * Loads a whole programme and its follow-up (the demo's: core/src/programme/jeu.ts) in one transaction: the
 * convention and fiches, the statuses and comments, the instances, their meetings and the commitments. All or
 * nothing; a meeting naming an instance the set does not hold is refused before anything is written.
 */
export async function chargerJeuProgramme(store: Store, jeu: JeuProgramme, auteur: string): Promise<void> {
  const cles = new Set(jeu.instances.map((i) => i.cle));
  const orpheline = jeu.reunions.find((r) => !cles.has(r.instance));
  if (orpheline) throw new DonneesInvalidesError(`Programme refusé : la réunion du ${orpheline.date} nomme l’instance « ${orpheline.instance} », absente du jeu. La base n’a pas été modifiée.`);
  await store.transaction(async () => {
    await ecrireProgramme(store, jeu.programme, auteur);
    for (const s of jeu.statuts) await definirStatut(store, s.numero, s.annee, s.statut, { auteur: s.auteur, role: s.role, date: s.date });
    for (const c of jeu.commentaires) await ajouterCommentaire(store, c.numero, c.annee, c.partenaire, c.texte, { auteur: c.auteur, role: c.role, date: c.date });
    const ids = new Map<string, number>();
    for (const i of jeu.instances) ids.set(i.cle, await creerInstance(store, i));
    for (const r of jeu.reunions) {
      await creerReunion(store, { ...r, instance_id: ids.get(r.instance) as number }, { auteur, date: `${r.date}T18:00:00Z` });
    }
    for (const e of jeu.engagements) await creerEngagement(store, e, { auteur, date: `${jeu.programme.convention.date_debut}T12:00:00Z` });
  });
}
