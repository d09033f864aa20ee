import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProblemeGrille } from './grille.ts';
import { GrilleInvalideError, parseGrille, sectionPour, verifierGrille } from './grille.ts';

/** The grid given as an example in issue 6, shared by the cotation tests. */
const EXEMPLE_ISSUE = readFileSync(new URL('../../../data/test/fixtures/cotation/grille-issue-6.yaml', import.meta.url), 'utf8');

/** The problems of a text that must be rejected. */
function problemes(text: string, fichier = 'grille.yaml'): ProblemeGrille[] {
  const r = verifierGrille(text, fichier);
  if (r.ok) throw new Error('grille acceptée à tort');
  return r.problemes;
}

describe('parseGrille', () => {
  it('reads the grid of issue 6 into a normalised grid', () => {
    const g = parseGrille(EXEMPLE_ISSUE, 'exemple.yaml');
    expect(g.nom).toBe('Grille intercommunale');
    expect(g.version).toBe('1');
    expect(g.similaires.map((c) => [c.nom, c.origine])).toEqual([
      ['typologie_min', 'canonique'],
      ['commune_1', 'derive'],
    ]);
    expect(g.sections).toHaveLength(1);
    const s = g.sections[0];
    expect(s?.portee).toBe('toutes');
    expect(s?.criteres.map((c) => c.id)).toEqual(['expulsion', 'monoparentale', 'taux_effort', 'heberge_tiers', 'structure', 'anciennete']);
    expect(s?.criteres[2]).toMatchObject({ kind: 'points', centiemes: 1000, conditions: [{ operateur: '>', valeur: 0.3, comparaison: 'nombre' }] });
    expect(s?.criteres[4]?.conditions[0]).toMatchObject({ operateur: 'in', valeur: ['structure', 'foyer'], comparaison: 'texte' });
    expect(s?.criteres[5]).toMatchObject({ kind: 'anciennete', centiemesParMois: 100, plafondCentiemes: 2400, depuis: { nom: 'date_depot' } });
    expect(s?.rubriques).toEqual([{ id: 'hebergement', libelle: 'hebergement', criteres: ['heberge_tiers', 'structure'], mode: 'max', plafond: null, plafondCentiemes: null }]);
    expect(s?.refus).toMatchObject({ centiemes: -500, parRefus: true, maxRefus: null });
  });

  it('reads the same grid written in JSON', () => {
    const json = JSON.stringify({
      nom: 'JSON',
      version: '2025-1',
      criteres: [{ id: 'dalo', libelle: 'DALO', points: 30, si: { dalo: true } }],
    });
    const g = parseGrille(json, 'grille.json');
    expect(g.version).toBe('2025-1');
    // Default similarity key (DOMAIN.md): same typology, same first wished commune.
    expect(g.similaires.map((c) => c.nom)).toEqual(['typologie_min', 'commune_1']);
  });

  it('reads separate grids for first access and mutations, sharing criteria through YAML anchors', () => {
    const g = parseGrille(readFileSync(new URL('../../../../grilles/rhone.yaml', import.meta.url), 'utf8'), 'grilles/rhone.yaml');
    expect(g.sections.map((s) => s.portee)).toEqual(['premier_acces', 'mutation']);
    expect(sectionPour(g, true).portee).toBe('mutation');
    expect(sectionPour(g, false).portee).toBe('premier_acces');
    expect(sectionPour(g, null).portee).toBe('premier_acces');
    const expulsion = (portee: 'premier_acces' | 'mutation') => g.sections.find((s) => s.portee === portee)?.criteres.find((c) => c.id === 'expulsion');
    expect(expulsion('mutation')).toEqual(expulsion('premier_acces'));
    expect(g.sections[1]?.refus?.maxRefus).toBe(2);
  });

  it('accepts the grids shipped in grilles/', () => {
    for (const f of ['rhone.yaml', 'equilibre-cia.yaml']) {
      expect(() => parseGrille(readFileSync(new URL(`../../../../grilles/${f}`, import.meta.url), 'utf8'), f)).not.toThrow();
    }
  });

  it('reads free columns, lists, dates and derived fields with the comparison their value calls for', () => {
    const g = parseGrille(
      `nom: t
version: 1
criteres:
  - { id: a, libelle: a, points: 1, si: { attributs.profession: aide-soignante } }
  - { id: b, libelle: b, points: 1, si: { attributs.score: { ">=": 3 } } }
  - { id: c, libelle: c, points: 1, si: { attributs.salarie: true } }
  - { id: d, libelle: d, points: 1, si: { attributs.entree: { "<": "2020-01-01" } } }
  - { id: e, libelle: e, points: 1, si: { priorite_motifs: violences, date_depot: { ">=": "2024-01-01" }, q1: true } }
  - { id: f, libelle: f, points_par_mois: 0.5, depuis: attributs.entree }
`,
      't.yaml',
    );
    const conds = g.sections[0]?.criteres.flatMap((c) => c.conditions.map((x) => `${x.champ.nom} ${x.operateur} ${x.comparaison}`));
    expect(conds).toEqual([
      'attributs.profession = texte',
      'attributs.score >= nombre',
      'attributs.salarie = booleen',
      'attributs.entree < date',
      'priorite_motifs = liste',
      'date_depot >= date',
      'q1 = booleen',
    ]);
    expect(g.sections[0]?.criteres[5]).toMatchObject({ kind: 'anciennete', plafond: null, depuis: { nom: 'attributs.entree', origine: 'libre' } });
  });
});

describe('malformed grids', () => {
  it('are rejected with the YAML line, the key path and what is expected, in French', () => {
    const text = `nom: Grille cassée
version: 1
similaires: [typologie_min, commune_un]
criteres:
  - { id: expulsion, libelle: "Expulsion", points: 20, si: { motif: expulsions } }
  - id: taux
    libelle: Taux
    points: 10
    si:
      taux_effort_actuel: { ">>": 0.3 }
  - { id: decimales, libelle: "Trop de décimales", points: 1.234, couleur: rouge }
  - { id: insee, libelle: "Commune", points: 2, si: { commune_1: 91228, dalo: oui } }
  - { id: anc, libelle: "Ancienneté", points_par_mois: 1, plafond: 24, depuis: motif }
rubriques:
  - { id: h, criteres: [expulsion], mode: maximum }
`;
    const p = problemes(text, 'grilles/cassee.yaml');
    const vus = p.map((x) => [x.ligne, x.chemin]);
    expect(vus).toEqual([
      [3, 'similaires[1]'],
      [5, 'criteres[0].si.motif'],
      [10, 'criteres[1].si.taux_effort_actuel.>>'],
      [11, 'criteres[2].points'],
      [11, 'criteres[2].couleur'],
      [12, 'criteres[3].si.commune_1'],
      [12, 'criteres[3].si.dalo'],
      [13, 'criteres[4].depuis'],
      [15, 'rubriques[0].mode'],
    ]);
    const message = (chemin: string) => p.find((x) => x.chemin === chemin)?.message ?? '';
    expect(message('similaires[1]')).toMatch(/^champ inconnu « commune_un » ; champs possibles : .*commune_1.*attributs\.nom_de_colonne/);
    expect(message('criteres[0].si.motif')).toMatch(/code inconnu « expulsions » pour motif ; codes possibles : .*expulsion/);
    expect(message('criteres[1].si.taux_effort_actuel.>>')).toBe('opérateur inconnu « >> » ; opérateurs possibles : = in > >= < <=');
    expect(message('criteres[2].points')).toMatch(/deux décimales/);
    expect(message('criteres[2].couleur')).toMatch(/^clé inconnue « couleur » ; clés possibles : id, libelle/);
    expect(message('criteres[3].si.commune_1')).toMatch(/guillemets/);
    expect(message('criteres[3].si.dalo')).toMatch(/booléen : true ou false attendu, reçu « oui »/);
    expect(message('criteres[4].depuis')).toMatch(/n’est pas une date/);
    expect(message('rubriques[0].mode')).toMatch(/max .* ou somme/);
    expect(p.every((x) => x.fichier === 'grilles/cassee.yaml' && x.colonne !== null)).toBe(true);
  });

  it('throws a GrilleInvalideError whose message lists every located problem', () => {
    try {
      parseGrille('nom: x\nversion: 1\ncriteres:\n  - { id: a, libelle: b, point: 1 }\n', 'g.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GrilleInvalideError);
      expect((error as Error).message).toContain('g.yaml, ligne 4, colonne 26 (criteres[0].point) : clé inconnue « point »');
      expect((error as GrilleInvalideError).problemes).toHaveLength(2);
    }
  });

  it('reports YAML syntax errors with their line', () => {
    const [p] = problemes('nom: x\nversion: 1\ncriteres:\n  - { id: a, libelle: b, points: 1\n');
    expect(p).toMatchObject({ ligne: expect.any(Number), chemin: '(texte)' });
    expect(p?.message).toMatch(/^YAML illisible/);
    const [doublon] = problemes('nom: x\nnom: y\nversion: 1\ncriteres: []\n');
    expect(doublon).toMatchObject({ ligne: 2, message: 'YAML illisible : clé répétée dans le même objet' });
    expect(problemes('nom: x\nversion: 1\ncriteres:\n\t- a\n')[0]).toMatchObject({ ligne: 4, message: expect.stringMatching(/tabulation/) });
    expect(problemes('nom: x\nversion: 1\ncriteres:\n  - { id: a, libelle: b, points: 1 }\n  - *nope\n')[0]).toMatchObject({
      ligne: 5,
      colonne: 5,
      message: expect.stringMatching(/ancre inconnue/),
    });
  });

  it('names missing keys, empty grids and wrong types', () => {
    expect(problemes('')[0]?.message).toMatch(/grille est vide/);
    expect(problemes('version: 1\ncriteres:\n  - { id: a, libelle: b, points: 1 }\n')).toMatchObject([{ chemin: 'nom', message: 'clé obligatoire « nom » absente' }]);
    expect(problemes('nom: x\nversion: 1\n')[0]?.message).toMatch(/une liste « criteres », ou deux sections/);
    const [t] = problemes('nom: x\nversion: 1\ncriteres:\n  - { id: a, libelle: b, points: dix }\n');
    expect(t).toMatchObject({ ligne: 4, chemin: 'criteres[0].points' });
  });

  it('checks the meaning: unique ids, headings naming known criteria once, one kind of points, sections', () => {
    const base = 'nom: x\nversion: 1\n';
    expect(problemes(`${base}criteres:\n  - { id: a, libelle: a, points: 1 }\n  - { id: a, libelle: b, points: 2 }\n`)).toMatchObject([
      { ligne: 5, chemin: 'criteres[1].id', message: 'identifiant « a » déjà utilisé par le critère n° 1' },
    ]);
    expect(
      problemes(`${base}criteres:\n  - { id: a, libelle: a, points: 1 }\nrubriques:\n  - { id: r, criteres: [a, z], mode: max }\n  - { id: s, criteres: [a], mode: somme }\n`).map((p) => [p.ligne, p.chemin]),
    ).toEqual([
      [6, 'rubriques[0].criteres[1]'],
      [7, 'rubriques[1].criteres[0]'],
    ]);
    expect(problemes(`${base}criteres:\n  - { id: a, libelle: a, points: 1, points_par_mois: 1 }\n`)[0]?.message).toMatch(/s’excluent/);
    expect(problemes(`${base}criteres:\n  - { id: a, libelle: a, points: 1, plafond: 3 }\n`)[0]?.message).toMatch(/plafond/);
    expect(problemes(`${base}criteres:\n  - { id: refus, libelle: a, points: 1 }\n`)[0]?.message).toMatch(/réservé/);
    expect(problemes(`${base}premier_acces:\n  criteres:\n    - { id: a, libelle: a, points: 1 }\n`)).toMatchObject([{ chemin: 'premier_acces', message: expect.stringMatching(/les deux sections/) }]);
    expect(
      problemes(`${base}criteres:\n  - { id: a, libelle: a, points: 1 }\npremier_acces:\n  criteres: [{ id: a, libelle: a, points: 1 }]\nmutation:\n  criteres: [{ id: a, libelle: a, points: 1 }]\n`),
    ).toMatchObject([{ chemin: 'criteres', ligne: 4 }]);
    // Inside a section, paths and lines point into the section.
    expect(
      problemes(`${base}premier_acces:\n  criteres: [{ id: a, libelle: a, points: 1 }]\nmutation:\n  criteres:\n    - { id: b, libelle: b, points: 1, si: { motif: [expulsion, 3] } }\n`),
    ).toMatchObject([{ ligne: 7, chemin: 'mutation.criteres[0].si.motif[1]' }]);
  });

  it('refuses operators that do not fit the field', () => {
    const avec = (si: string) => problemes(`nom: x\nversion: 1\ncriteres:\n  - { id: a, libelle: a, points: 1, si: ${si} }\n`)[0]?.message;
    expect(avec('{ motif: { ">": expulsion } }')).toMatch(/un code : seuls = et in/);
    expect(avec('{ dalo: [true] }')).toMatch(/booléen/);
    expect(avec('{ priorite_motifs: { "<": a } }')).toMatch(/liste/);
    expect(avec('{ nb_personnes: trois }')).toMatch(/nombre/);
    expect(avec('{ date_depot: { ">": "2024-02-30" } }')).toMatch(/date AAAA-MM-JJ/);
    expect(avec('{ attributs.x: [1, deux] }')).toMatch(/même type/);
    expect(avec('{ nb_personnes: {} }')).toMatch(/au moins un opérateur/);
    expect(avec('{ nb_personnes: { in: [] } }')).toMatch(/liste non vide/);
    expect(avec('{ nb_personnes: null }')).toMatch(/condition attendue/);
  });

  it('refuses continuous fields in the similarity key', () => {
    expect(problemes('nom: x\nversion: 1\nsimilaires: [ressources_uc]\ncriteres:\n  - { id: a, libelle: a, points: 1 }\n')[0]).toMatchObject({
      ligne: 3,
      chemin: 'similaires[0]',
      message: expect.stringMatching(/ne peut pas servir à regrouper/),
    });
  });
});
