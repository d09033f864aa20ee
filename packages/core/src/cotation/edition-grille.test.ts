import { describe, expect, it } from 'vitest';
import { ajouterCritere, conditionsEnMots, lireFormulaire, modifierGrille } from './edition-grille.ts';
import { verifierGrille } from './grille-texte.ts';

const GRILLE = `# Une grille commentée
nom: Essai
version: 1
criteres:
  - &dalo { id: dalo, libelle: "DALO", points: 40, si: { dalo: true } }   # le plus fort
  - { id: anciennete, libelle: "Ancienneté", points_par_mois: 1, plafond: 24 }
  - { id: heberge, libelle: "Hébergé", points: 10, si: { logement_actuel: { in: [heberge_tiers, heberge_famille] } } }
rubriques:
  - { id: hebergement, criteres: [heberge], mode: max }
`;

describe('the form of a grid over its YAML', () => {
  it('reads criteria and headings with their conditions in words', () => {
    const f = lireFormulaire(GRILLE);
    expect(f?.nom).toBe('Essai');
    const c = f?.corps[0]?.criteres ?? [];
    expect(c.map((x) => [x.id, x.points, x.pointsParMois, x.plafond, x.conditions])).toEqual([
      ['dalo', 40, null, null, 'dalo = true'],
      ['anciennete', null, 1, 24, 'toujours'],
      ['heberge', 10, null, null, 'logement_actuel parmi heberge_tiers, heberge_famille'],
    ]);
    expect(f?.corps[0]?.rubriques).toEqual([{ chemin: ['rubriques', 0], id: 'hebergement', criteres: ['heberge'], mode: 'max', plafond: null }]);
    expect(lireFormulaire('nom: [')).toBeNull();
  });

  it('changes one value and keeps the comments, the anchor and the other lines', () => {
    const t = modifierGrille(GRILLE, ['criteres', 0, 'points'], 45);
    expect(t).toContain('# Une grille commentée');
    expect(t).toContain('&dalo');
    expect(t).toContain('# le plus fort');
    // Each criterion stays on its line, as written.
    expect(t).toContain('  - &dalo { id: dalo, libelle: "DALO", points: 45, si: { dalo: true } } # le plus fort');
    expect(t).toContain('  - { id: heberge, libelle: "Hébergé", points: 10, si: { logement_actuel: { in: [ heberge_tiers, heberge_famille ] } } }');
    expect(lireFormulaire(t)?.corps[0]?.criteres[0]?.points).toBe(45);
    const somme = modifierGrille(modifierGrille(GRILLE, ['rubriques', 0, 'mode'], 'somme'), ['rubriques', 0, 'plafond'], 12);
    expect(lireFormulaire(somme)?.corps[0]?.rubriques[0]).toMatchObject({ mode: 'somme', plafond: 12 });
    expect(verifierGrille(somme, 'g.yaml').ok).toBe(true);
  });

  it('adds a criterion the checker accepts', () => {
    const t = ajouterCritere(GRILLE, [], { id: 'violences', libelle: 'Violences', points: 15, si: { motif: 'violences' } });
    expect(lireFormulaire(t)?.corps[0]?.criteres.at(-1)).toMatchObject({ id: 'violences', points: 15, conditions: 'motif = violences' });
    expect(verifierGrille(t, 'g.yaml').ok).toBe(true);
    expect(conditionsEnMots({ taux_effort_actuel: { '>': 0.3 } })).toBe('taux_effort_actuel > 0.3');
  });
});
