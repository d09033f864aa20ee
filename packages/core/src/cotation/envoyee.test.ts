import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHAMPS_GRILLE_ENVOYEE, NOMS_CHAMPS } from './champs.ts';
import { verifierGrilleEnvoyee } from './grille.ts';

/** Grids sent through the API (issue 10): the allow-list of fields, each refusal located. */
const GRILLES = new URL('../../../../grilles/', import.meta.url);

const grille = (criteres: string, extra = '') => `nom: Attaque\nversion: 1\n${extra}criteres:\n${criteres}`;

describe('grids sent through the API', () => {
  it('accepts the example grids of grilles/', () => {
    const fichiers = readdirSync(GRILLES).filter((f) => f.endsWith('.yaml'));
    expect(fichiers.length).toBeGreaterThanOrEqual(2);
    for (const f of fichiers) expect([f, verifierGrilleEnvoyee(readFileSync(new URL(f, GRILLES), 'utf8'), f).ok]).toEqual([f, true]);
  });

  it('refuses the NUR, naming the criterion and the field, at its line and column', () => {
    // The red-team grid: one criterion per target household, testing its NUR and a sensitive field.
    const texte = grille(`  - { id: cible_1, libelle: C1, points: 1, si: { dalo: true } }\n  - { id: cible_2, libelle: C2, points: 2, si: { nur: "0912023000002", handicap: true } }\n`);
    const r = verifierGrilleEnvoyee(texte, 'attaque.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problemes).toHaveLength(1);
    const [p] = r.problemes;
    // Line 5 of the text; the key `nur` starts at column 50 (1-based).
    expect(p).toMatchObject({ fichier: 'attaque.yaml', ligne: 5, colonne: 50, chemin: 'criteres[1].si.nur' });
    expect(p?.message).toContain('critère « cible_2 »');
    expect(p?.message).toContain('« nur »');
    expect(p?.message).toContain('identifiant');
  });

  it('refuses dates, free columns, identifiers of landlords and exact amounts; allows thresholds', () => {
    const cas: [string, string][] = [
      ['si: { date_depot: "2023-01-15" }', 'date_depot'],
      ['si: { date_radiation: { ">": "2024-01-01" } }', 'date_radiation'],
      ['si: { attributs.profession: aide-soignante }', 'attributs.profession'],
      ['si: { bailleur_actuel_id: B1 }', 'bailleur_actuel_id'],
      ['si: { age_demandeur: 34 }', 'age_demandeur'],
      ['si: { ressources_mensuelles: 1500 }', 'ressources_mensuelles'],
      ['si: { taux_effort_actuel: { in: [0.25, 0.5] } }', 'taux_effort_actuel'],
    ];
    for (const [si, champ] of cas) {
      const r = verifierGrilleEnvoyee(grille(`  - { id: x, libelle: X, points: 1, ${si} }\n`), 'g.yaml');
      expect([champ, r.ok]).toEqual([champ, false]);
      if (!r.ok) expect([champ, r.problemes[0]?.ligne, r.problemes[0]?.message.includes(`« ${champ} »`)]).toEqual([champ, 4, true]);
    }
    for (const si of ['si: { ressources_mensuelles: { "<": 1500 } }', 'si: { taux_effort_actuel: { ">": 0.3 } }', 'si: { anciennete_mois: { ">=": 24 } }']) {
      expect([si, verifierGrilleEnvoyee(grille(`  - { id: x, libelle: X, points: 1, ${si} }\n`), 'g.yaml').ok]).toEqual([si, true]);
    }
  });

  it('refuses identifiers in the similarity key and seniority counted from another date', () => {
    const r = verifierGrilleEnvoyee(grille(`  - { id: x, libelle: X, points: 1 }\n`, 'similaires: [typologie_min, nur]\n'), 'g.yaml');
    expect(r.ok ? [] : r.problemes.map((p) => [p.ligne, p.chemin])).toEqual([[3, 'similaires[1]']]);
    const d = verifierGrilleEnvoyee(grille(`  - { id: a, libelle: A, points_par_mois: 1, depuis: attributs.date_entree }\n`), 'g.yaml');
    expect(d.ok ? [] : d.problemes.map((p) => [p.ligne, p.chemin])).toEqual([[4, 'criteres[0].depuis']]);
    expect(verifierGrilleEnvoyee(grille(`  - { id: a, libelle: A, points_par_mois: 1, depuis: date_depot }\n`), 'g.yaml').ok).toBe(true);
  });

  it('checks both sections of a grid split into premier_acces and mutation', () => {
    const texte = `nom: S\nversion: 1\npremier_acces:\n  criteres:\n    - { id: a, libelle: A, points: 1, si: { dalo: true } }\nmutation:\n  criteres:\n    - { id: b, libelle: B, points: 1, si: { nur: X } }\n`;
    const r = verifierGrilleEnvoyee(texte, 's.yaml');
    expect(r.ok ? [] : r.problemes.map((p) => [p.ligne, p.chemin])).toEqual([[8, 'mutation.criteres[0].si.nur']]);
  });

  it('only allows fields the catalogue knows', () => {
    for (const nom of CHAMPS_GRILLE_ENVOYEE) expect(NOMS_CHAMPS).toContain(nom);
    expect(CHAMPS_GRILLE_ENVOYEE.has('nur')).toBe(false);
  });
});
