import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PolitiqueInvalideError, lirePolitique, verifierPolitique } from './politique.ts';

const racine = new URL('../../../../', import.meta.url);
const echec = (texte: string) => {
  const r = verifierPolitique(texte, 'p.yaml');
  if (r.ok) throw new Error('politique acceptée à tort');
  return r.problemes;
};

describe('policy files', () => {
  it('the two shipped policies are valid and differ by the Q1 rule only', () => {
    const a = lirePolitique(readFileSync(new URL('politiques/pratique-observee.yaml', racine), 'utf8'), 'pratique-observee.yaml');
    const b = lirePolitique(readFileSync(new URL('politiques/un-q1-par-liste.yaml', racine), 'utf8'), 'un-q1-par-liste.yaml');
    expect(a.ordre).toBe('pratique_observee');
    expect(a.regles.q1_min_par_liste_hors_qpv).toBe(0);
    expect(b.regles.q1_min_par_liste_hors_qpv).toBe(1);
    expect({ ...b, nom: '', description: '', regles: { ...b.regles, q1_min_par_liste_hors_qpv: 0 } }).toEqual({ ...a, nom: '', description: '' });
  });

  it('defaults: lists of 3, 2 rounds, no rule', () => {
    const p = lirePolitique('nom: x\nordre: anciennete\n', 'p.yaml');
    expect(p).toMatchObject({ taille_liste: 3, tours_max: 2, regles: { q1_min_par_liste_hors_qpv: 0, q2_q4_en_qpv: false, quotas_prioritaires: {} } });
  });

  it('an unknown rule name is refused on its line and column, with the known rules', () => {
    const [p, ...autres] = echec('nom: x\nordre: anciennete\nregles:\n  un_q1_par_liste: 1\n');
    expect(autres).toEqual([]);
    expect(p).toMatchObject({ fichier: 'p.yaml', ligne: 4, colonne: 3, chemin: 'regles.un_q1_par_liste' });
    expect(p?.message).toBe('règle inconnue « un_q1_par_liste » ; possibles : q1_min_par_liste_hors_qpv, q2_q4_en_qpv, quotas_prioritaires');
  });

  it('a negative quota is refused where it is written', () => {
    const [p] = echec('nom: x\nordre: anciennete\nregles:\n  quotas_prioritaires:\n    etat_prioritaires: -0.5\n');
    expect(p).toMatchObject({ ligne: 5, colonne: 24, chemin: 'regles.quotas_prioritaires.etat_prioritaires', valeur: '-0.5' });
    expect(p?.message).toBe('un quota ne peut pas être négatif : une part entre 0 et 1');
  });

  it('an unknown order, a missing name, a grid without the cotation order', () => {
    const problemes = echec('ordre: hasard\ngrille: g.yaml\n');
    expect(problemes.map((p) => [p.ligne, p.chemin])).toEqual([[1, 'nom'], [1, 'ordre']]);
    expect(problemes[0]?.message).toBe('clé obligatoire « nom » absente');
    expect(problemes[1]?.message).toContain('pratique_observee, anciennete, tirage_au_sort, cotation');
    expect(echec('nom: x\nordre: cotation\n')[0]?.message).toBe('l’ordre « cotation » demande une grille : grille: chemin/vers/grille.yaml');
  });

  it('more Q1 candidates than places, an unknown contingent type, unreadable YAML', () => {
    expect(echec('nom: x\nordre: anciennete\ntaille_liste: 2\nregles: { q1_min_par_liste_hors_qpv: 3 }\n')[0]?.message).toContain('plus de candidats du premier quartile (3) que de places');
    expect(echec('nom: x\nordre: anciennete\nregles:\n  quotas_prioritaires: { etat: 1 }\n')[0]).toMatchObject({ ligne: 4, chemin: 'regles.quotas_prioritaires.etat' });
    expect(echec('nom: x\nnom: y\n')[0]?.message).toBe('YAML illisible : clé répétée dans le même objet');
  });

  it('flux: observe by default; conventions accepted; anything else refused on its line with the two values', () => {
    expect(lirePolitique('nom: x\nordre: anciennete\n', 'p.yaml').flux).toBe('observe');
    expect(lirePolitique('nom: x\nordre: anciennete\nflux: conventions\n', 'p.yaml').flux).toBe('conventions');
    const [p, ...autres] = echec('nom: x\nordre: anciennete\nflux: convention\n');
    expect(autres).toEqual([]);
    expect(p).toMatchObject({ ligne: 3, colonne: 7, chemin: 'flux', valeur: 'convention' });
    expect(p?.message).toContain('observe (celui des attributions observées) ou conventions');
    // A misplaced key (flux under regles) is an unknown rule, not silently ignored.
    expect(echec('nom: x\nordre: anciennete\nregles:\n  flux: conventions\n')[0]).toMatchObject({ ligne: 4, colonne: 3, chemin: 'regles.flux' });
  });

  it('lirePolitique throws a located French error', () => {
    expect(() => lirePolitique('nom: x\nordre: anciennete\ntaille_liste: 0\n', 'p.yaml')).toThrow(PolitiqueInvalideError);
    expect(() => lirePolitique('nom: x\nordre: anciennete\ntaille_liste: 0\n', 'p.yaml')).toThrow('p.yaml, ligne 3, colonne 15 (taille_liste) : au moins 1 candidat par liste');
  });
});
