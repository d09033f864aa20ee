import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset.ts';
import { Store } from '../store/store.ts';
import { importerConventions, modifierPartConvention } from './conventions-edition.ts';

/**
 * Conventions imported or edited from the flux page, on the hand-built territory of flux.test.ts. Stored before each
 * test (conventions.csv of the fixture): B1 2023 ETAT 0.25 · AL 0.30 · COM 0.10; B1 2024 ETAT 0.25 · AL 0.30 ·
 * COM 0.10; B2 2024 AL 0.5 — 7 rows.
 */

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/flux/territoire', import.meta.url));
const travail = mkdtempSync(join(tmpdir(), 'mixite-conventions-test-'));
afterAll(() => rmSync(travail, { recursive: true, force: true }));

let store: Store;
beforeEach(async () => {
  store?.close();
  store = await Store.open(':memory:');
  await importDataset(store, [FIXTURE]);
});

let n = 0;
function fichier(contenu: string): string {
  const dir = join(travail, String(++n));
  mkdirSync(dir);
  const chemin = join(dir, 'conventions.csv');
  writeFileSync(chemin, contenu);
  return chemin;
}
const toutes = async () =>
  (await store.all<{ l: string }>(`SELECT bailleur_id || ' ' || reservataire_id || ' ' || annee || ' ' || part AS l FROM conventions ORDER BY ALL`)).map((r) => r.l);
const AVANT = ['B1 AL 2023 0.3', 'B1 AL 2024 0.3', 'B1 COM 2023 0.1', 'B1 COM 2024 0.1', 'B1 ETAT 2023 0.25', 'B1 ETAT 2024 0.25', 'B2 AL 2024 0.5'];

describe('importerConventions', () => {
  it('replaces the conventions of the bailleur-years the file names and keeps the others', async () => {
    // B1 2024 becomes ETAT 0.28 + AL 0.2 (COM dropped); B1 2023 and B2 2024 are not in the file: kept.
    const r = await importerConventions(store, fichier('bailleur_id;reservataire_id;annee;part\nB1;ETAT;2024;0.28\nB1;AL;2024;0.2\n'), { portee: { kind: 'toutes' }, auteur: 'epci@test' });
    expect(r.erreurs).toEqual([]);
    expect(r.statut).toBe('reussi');
    expect(await toutes()).toEqual(['B1 AL 2023 0.3', 'B1 AL 2024 0.2', 'B1 COM 2023 0.1', 'B1 ETAT 2023 0.25', 'B1 ETAT 2024 0.28', 'B2 AL 2024 0.5']);
  });

  it('refuses shares above 1 on the file’s own line, and loads nothing', async () => {
    // 0.6 + 0.5 = 1.1 > 1: the import's message, on the bailleur-year's last line (3).
    const r = await importerConventions(store, fichier('bailleur_id;reservataire_id;annee;part\nB2;AL;2024;0.6\nB2;ETAT;2024;0.5\n'), { portee: { kind: 'toutes' }, auteur: 'epci@test' });
    expect(r.statut).toBe('echoue');
    expect(r.erreurs).toHaveLength(1);
    expect(r.erreurs[0]).toMatchObject({ fichier: 'conventions.csv', ligne: 3, colonne: 'part' });
    expect(r.erreurs[0]?.message).toContain('totalisent 110');
    expect(await toutes()).toEqual(AVANT);
  });

  it('refuses an unknown réservataire with the import’s located message', async () => {
    const r = await importerConventions(store, fichier('bailleur_id;reservataire_id;annee;part\nB2;AL;2024;0.4\nB2;INCONNU;2024;0.1\n'), { portee: { kind: 'toutes' }, auteur: 'epci@test' });
    expect(r.statut).toBe('echoue');
    expect(r.erreurs[0]).toMatchObject({ ligne: 3, colonne: 'reservataire_id', valeur: 'INCONNU' });
    expect(await toutes()).toEqual(AVANT);
  });

  it('lets a bailleur account import its own conventions only: another bailleur’s line is refused, located', async () => {
    const r = await importerConventions(store, fichier('bailleur_id;reservataire_id;annee;part\nB2;AL;2024;0.4\nB1;AL;2024;0.1\n'), { portee: { kind: 'bailleur', id: 'B2' }, auteur: 'b2@test' });
    expect(r.statut).toBe('echoue');
    expect(r.erreurs).toHaveLength(1);
    expect(r.erreurs[0]).toMatchObject({ ligne: 3, colonne: 'bailleur_id', valeur: 'B1' });
    expect(await toutes()).toEqual(AVANT);
    const ok = await importerConventions(store, fichier('bailleur_id;reservataire_id;annee;part\nB2;AL;2024;0.4\n'), { portee: { kind: 'bailleur', id: 'B2' }, auteur: 'b2@test' });
    expect(ok.statut).toBe('reussi');
    expect(await toutes()).toEqual([...AVANT.slice(0, 6), 'B2 AL 2024 0.4']);
  });

  it('warns, without refusing, when the State’s share passes 30 % (CCH R441-5)', async () => {
    // ETAT 0.25 + AG 0.08: State 33 % > 30 %, agents 8 % > 5 %: two warnings, loaded.
    const r = await importerConventions(store, fichier('bailleur_id;reservataire_id;annee;part\nB2;ETAT;2024;0.25\nB2;AG;2024;0.08\n'), { portee: { kind: 'toutes' }, auteur: 'epci@test' });
    expect(r.statut).toBe('reussi');
    // formatTaux writes a no-break space before « % »: compared with plain spaces.
    expect(r.avertissements.map((a) => a.message.replace(/\s/g, ' '))).toEqual([
      'la part de l’État dans le flux du bailleur B2 en 2024 est de 33,0 % : l’article R441-5 du CCH la limite à 30 % (une convention antérieure peut encore s’appliquer pendant la transition)',
      'la part des agents de l’État dans le flux du bailleur B2 en 2024 est de 8,0 % : l’article R441-5 du CCH la limite à 5 % (dans les 30 % de l’État)',
    ]);
    expect(await toutes()).toContain('B2 AG 2024 0.08');
  });
});

describe('modifierPartConvention', () => {
  it('changes one share, checked as an import', async () => {
    const r = await modifierPartConvention(store, { bailleur_id: 'B1', reservataire_id: 'AL', annee: 2024, part: 0.35 }, { portee: { kind: 'toutes' }, auteur: 'epci@test' });
    expect(r.statut).toBe('reussi');
    expect(await toutes()).toEqual(['B1 AL 2023 0.3', 'B1 AL 2024 0.35', ...AVANT.slice(2)]);
  });

  it('refuses a share that takes the year above 1 (0.25 + 0.30 + 0.50 = 1.05), nothing changed', async () => {
    const r = await modifierPartConvention(store, { bailleur_id: 'B1', reservataire_id: 'COM', annee: 2024, part: 0.5 }, { portee: { kind: 'toutes' }, auteur: 'epci@test' });
    expect(r.statut).toBe('echoue');
    expect(r.erreurs[0]?.message).toContain('B1 pour 2024 totalisent 105');
    expect(await toutes()).toEqual(AVANT);
  });

  it('creates a convention, and refuses another bailleur’s to a bailleur account', async () => {
    const r = await modifierPartConvention(store, { bailleur_id: 'B2', reservataire_id: 'ETAT', annee: 2024, part: 0.25 }, { portee: { kind: 'bailleur', id: 'B2' }, auteur: 'b2@test' });
    expect(r.statut).toBe('reussi');
    expect(await toutes()).toContain('B2 ETAT 2024 0.25');
    const refus = await modifierPartConvention(store, { bailleur_id: 'B1', reservataire_id: 'AL', annee: 2024, part: 0.1 }, { portee: { kind: 'bailleur', id: 'B2' }, auteur: 'b2@test' });
    expect(refus.statut).toBe('echoue');
    expect(await toutes()).toContain('B1 AL 2024 0.3');
  });
});
