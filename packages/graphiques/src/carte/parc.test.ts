import { describe, expect, it } from 'vitest';
import { CLASSES_RESIDENCES, choroplethesCroisement, phraseCroisement, phraseResidences, pointsResidences } from './parc.ts';

/** The Parc page's maps, as the page and the server's first paint both draw them (issue 14): figures by hand. */
describe('the Parc page’s maps', () => {
  it('colours each commune by the crossing’s share of its dwellings, none without a dwelling', () => {
    const c = choroplethesCroisement([
      { code_insee: '91001', logements: 4, abordables_non_fragiles_hors_qpv: 1 }, // 1 / 4 = 0.25
      { code_insee: '91002', logements: 3, abordables_non_fragiles_hors_qpv: 0 }, // 0 / 3 = 0
      { code_insee: '91003', logements: 0, abordables_non_fragiles_hors_qpv: 0 }, // no dwelling: no value
    ]);
    expect([...c.valeurs]).toEqual([
      ['91001', 0.25],
      ['91002', 0],
      ['91003', undefined],
    ]);
  });

  it('places the residences by their class, named by their name or else their id', () => {
    const p = pointsResidences([
      { residence_id: 'R1', nom: 'Les Tilleuls', latitude: 48.6, longitude: 2.4, classe: 'fragile', code_insee: '91001' },
      { residence_id: 'R2', nom: null, latitude: null, longitude: null, classe: 'inconnue', code_insee: '91002' },
    ]);
    expect(p.categories).toBe(CLASSES_RESIDENCES);
    expect(p.points).toEqual([
      { id: 'R1', libelle: 'Les Tilleuls', latitude: 48.6, longitude: 2.4, categorie: 'fragile', commune: '91001' },
      { id: 'R2', libelle: 'R2', latitude: null, longitude: null, categorie: 'inconnue', commune: '91002' },
    ]);
  });

  it('says the crossing and the residences in French, as the page did', () => {
    expect(
      phraseCroisement({ annee: 2025, seuil_q1: 11720, hypothese_centrale: 0.3, bareme: { debut: '2024-10-01' }, total: { logements: 1234, abordables_non_fragiles_hors_qpv: 56 }, baux: 78, baux_croisement: 9 }),
    ).toBe(
      'Pour chaque logement, le ménage du premier quartile de sa taille (seuil 11\u202f720 € par UC et par an), son APL (barème du 2024-10-01) et son taux d’effort. ' +
        'Sur 1\u202f234 logements, 56 sont abordables (taux d’effort ≤ 30,0\u00a0%), hors QPV et dans une résidence non fragile ; 9 des 78 baux de 2024 y ont été signés.',
    );
    // Q1 households placed in fragile (2) and very fragile (3) residences: 5; the non fragile's 4 are not counted.
    expect(
      phraseResidences({
        annee: 2025,
        indicateur: 'part des ménages sous 40 % des plafonds',
        seuil_fragile: 0.25,
        seuil_tres_fragile: 0.5,
        attributions_par_classe: [
          { classe: 'fragile', attributions_q1: 2 },
          { classe: 'tres_fragile', attributions_q1: 3 },
          { classe: 'non_fragile', attributions_q1: 4 },
        ],
      }),
    ).toContain('En 2025, 5 ménages du premier quartile ont été logés dans des résidences déjà fragiles ou très fragiles.');
  });
});
