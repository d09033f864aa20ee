import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ComptesRetards } from '@mixite/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LigneIndicateur, Territoire } from '../src/contract.ts';
import type { Client, TestApp } from './helpers.ts';
import { login, openProductionApp } from './helpers.ts';

/**
 * Issue 12: « the bilan understates who is behind ». The count of partners behind a target is a count of
 * perimeters, published in every edition; the public dashboard used to count only the partners whose figures it
 * could read. GET /api/retards/comptes gives every account, the lecteur included, the counts made on unmasked
 * figures. The territory of the bilan's tests (effectif_minimum 1), with the secrecy threshold raised from 3 to 11 so
 * that partners behind their target have their figures masked.
 */
const TERRITOIRE = fileURLToPath(new URL('../../reports/test/fixtures/territoire', import.meta.url));

describe('GET /api/retards/comptes', () => {
  let t: TestApp;
  let lecteur: Client;
  let epci: Client;
  let annee: number;
  let dossier: string;
  beforeAll(async () => {
    dossier = mkdtempSync(join(tmpdir(), 'mixite-retards-'));
    const jeu = join(dossier, 'territoire');
    cpSync(TERRITOIRE, jeu, { recursive: true });
    const cia = readFileSync(join(jeu, 'cia.yaml'), 'utf8');
    expect(cia).toMatch(/^secret_statistique: 3$/m);
    writeFileSync(join(jeu, 'cia.yaml'), cia.replace(/^secret_statistique: 3$/m, 'secret_statistique: 11'));
    t = await openProductionApp({ dataset: jeu });
    lecteur = await login(t.mixite.app, 'lecteur@mixite.test');
    epci = await login(t.mixite.app, 'epci@mixite.test');
    annee = ((await (await epci.request('/api/territoire')).json()) as Territoire).annees.at(-1) as number;
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dossier, { recursive: true, force: true });
  });

  const comptes = async (client: Client) => {
    const response = await client.request(`/api/retards/comptes?annee=${annee}`);
    expect(response.status).toBe(200);
    return (await response.json()) as ComptesRetards;
  };
  const lignes = async (client: Client, type: string) =>
    ((await (await client.request(`/api/indicateurs?annee=${annee}&perimetre_type=${type}&periodes=${annee}`)).json()) as { lignes: LigneIndicateur[] }).lignes.filter(
      (l) => l.periode === String(annee),
    );

  it('gives the lecteur the counts the EPCI reads, made on unmasked figures', async () => {
    const publics = await comptes(lecteur);
    expect(publics).toEqual(await comptes(epci));
    let masquesEnRetard = 0;
    for (const type of ['bailleur', 'commune', 'qpv', 'contingent']) {
      const nonMasquees = await lignes(epci, type);
      const masquees = await lignes(lecteur, type);
      for (const c of publics.comptes.filter((x) => x.perimetre_type === type)) {
        // By hand from the EPCI's rows: the perimeters of that type whose year rate is judged below its target.
        const enRetard = nonMasquees.filter((l) => l.indicateur === c.indicateur && l.atteint === false).length;
        expect(c.en_retard, `${c.indicateur} par ${type}`).toBe(enRetard);
        // The lecteur's own rows name fewer when some of those partners' figures are masked.
        const nommes = masquees.filter((l) => l.indicateur === c.indicateur && l.atteint === false).length;
        expect(nommes).toBeLessThanOrEqual(enRetard);
        masquesEnRetard += enRetard - nommes;
      }
    }
    // The territory masks some partners behind: the counts say more than the lecteur's rows could.
    expect(masquesEnRetard).toBeGreaterThan(0);
  }, 120_000);

  it('refuses a malformed year with a French message', async () => {
    const response = await lecteur.request('/api/retards/comptes?annee=24');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('annee');
  });
});
