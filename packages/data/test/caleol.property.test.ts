import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGrille } from '@mixite/core';
import { generateDemo } from '@mixite/demo';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store, calculerIndicateurs, cotationDe, dateDesDonnees, enregistrerDecisions, importDataset, listeCaleol } from '../src/index.ts';

/**
 * Properties of the CALEOL list on a generated territory (the demo's EPCI, seed 1; dwellings and dates drawn by
 * fast-check from a fixed seed): every candidate is active at the date and fits the dwelling — checked by plain SQL
 * written here, not by the engine —, notes never increase down the list, no candidate twice, at most N candidates,
 * and each note is the one the cotation engine gives the request over the whole demand.
 */

const GRILLE = parseGrille(readFileSync(new URL('../../../grilles/equilibre-cia.yaml', import.meta.url), 'utf8'), 'equilibre-cia.yaml');
let dir: string;
let store: Store;
let logements: string[];
let dateDonnees: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mixite-caleol-prop-'));
  await generateDemo({ out: join(dir, 'jeu'), echelle: 'epci', graine: 1 });
  store = await Store.open(':memory:');
  await importDataset(store, [join(dir, 'jeu')], { auteur: 'test' });
  logements = (await store.all<{ id: string }>(`SELECT id FROM logements ORDER BY id`)).map((r) => r.id);
  dateDonnees = await dateDesDonnees(store);
}, 240_000);
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Verif {
  active: boolean;
  typologie: boolean;
  commune: boolean;
  pmr: boolean;
}

describe('CALEOL list on a generated territory', () => {
  it('candidates active and fitting, notes non-increasing, distinct, at most N, notes of the cotation engine', async () => {
    const cas = fc.sample(fc.record({ i: fc.nat(), recul: fc.integer({ min: 0, max: 400 }), nombre: fc.integer({ min: 1, max: 5 }) }), { seed: 15, numRuns: 8 });
    let vus = 0;
    for (const { i, recul, nombre } of cas) {
      const logement = logements[i % logements.length] as string;
      const date = new Date(Date.parse(`${dateDonnees}T00:00:00Z`) - recul * 86_400_000).toISOString().slice(0, 10);
      const r = await listeCaleol(store, { logement, date, grille: GRILLE, nombre });
      const nurs = r.liste.candidats.map((c) => c.demande.nur);
      expect(new Set(nurs).size).toBe(nurs.length);
      expect(nurs.length).toBeLessThanOrEqual(nombre);
      const notes = r.liste.candidats.map((c) => c.demande.note);
      for (let k = 1; k < notes.length; k++) expect(notes[k]).toBeLessThanOrEqual(notes[k - 1] as number);
      for (const nur of nurs) {
        // Plain SQL, written from DATA-FORMAT.md: active = deposited on or before D and not radiated on or before D.
        const [v] = await store.all<Verif>(
          `SELECT d.date_depot <= DATE '${date}' AND (d.date_radiation IS NULL OR d.date_radiation > DATE '${date}') AS active,
             (d.typologie_min IS NULL OR l.nb_pieces >= d.typologie_min) AND (d.typologie_max IS NULL OR l.nb_pieces <= d.typologie_max) AS typologie,
             d.communes_souhaitees IS NULL OR ('|' || replace(d.communes_souhaitees, ' ', '') || '|') LIKE ('%|' || l.code_insee || '|%') AS commune,
             NOT coalesce(d.pmr, FALSE) OR coalesce(l.pmr, FALSE) AS pmr
           FROM demandes d, logements l WHERE d.nur = $nur AND l.id = $logement`,
          { nur, logement },
        );
        expect([nur, v]).toEqual([nur, { active: true, typologie: true, commune: true, pmr: true }]);
        const cote = await cotationDe(store, GRILLE, nur, { date });
        expect([nur, r.liste.candidats.find((c) => c.demande.nur === nur)?.demande.note]).toEqual([nur, cote?.note]);
        vus++;
      }
      // A rule that is broken says there was no eligible candidate to meet it.
      for (const regle of r.liste.regles) if (!regle.respectee) expect(regle.message).toMatch(/non respectée/);
    }
    // The draw must have produced lists, not only empty ones.
    expect(vus).toBeGreaterThan(5);
  });

  // Last: it writes into the store.
  it('recorded decisions change the indicators exactly as importing the same rows (dwellings drawn, fixed seed)', async () => {
    const annee = Number(dateDonnees.slice(0, 4));
    const avant = (await calculerIndicateurs(store, { annee })).indicateurs;
    const tirages = fc.sample(fc.nat(), { seed: 151, numRuns: 4 });
    const lignes: string[] = [];
    const entete = readFileSync(join(dir, 'jeu', 'attributions.csv'), 'utf8').split('\n')[0]?.split(';') ?? [];
    for (const i of tirages) {
      const logement = logements[i % logements.length] as string;
      const r = await listeCaleol(store, { logement, date: dateDonnees, grille: GRILLE });
      const [premier, second] = r.liste.candidats;
      if (!premier) continue;
      const candidats = [
        { nur: premier.demande.nur, decision: 'attribution' as const, rang: 1 },
        ...(second ? [{ nur: second.demande.nur, decision: 'attribution_sous_condition' as const, rang: 2 }] : []),
      ];
      const faites = await enregistrerDecisions(store, { logement_id: logement, date_cal: dateDonnees, auteur: 'test', candidats }, '2026-12-01').catch((e: unknown) => {
        // Two draws may name the same dwelling, or a request already decided on: refused, nothing written.
        if ((e as Error).message.includes('existe déjà')) return [];
        throw e;
      });
      for (const d of faites) {
        const valeurs: Record<string, string> = {
          id: d.attribution_id,
          nur: d.nur,
          logement_id: d.logement_id,
          bailleur_id: d.bailleur_id,
          code_insee: d.code_insee,
          date_cal: d.date_cal,
          decision: d.decision,
          rang: d.rang === null ? '' : String(d.rang),
          issue: d.issue ?? '',
        };
        lignes.push(entete.map((c) => valeurs[c] ?? '').join(';'));
      }
    }
    expect(lignes.length).toBeGreaterThan(2);
    const enregistre = (await calculerIndicateurs(store, { annee })).indicateurs;
    expect(enregistre).not.toEqual(avant);

    const jeu = join(dir, 'importe');
    cpSync(join(dir, 'jeu'), jeu, { recursive: true });
    appendFileSync(join(jeu, 'attributions.csv'), `${lignes.join('\n')}\n`);
    const importe = await Store.open(':memory:');
    try {
      await importDataset(importe, [jeu], { auteur: 'test' });
      expect((await calculerIndicateurs(importe, { annee })).indicateurs).toEqual(enregistre);
    } finally {
      importe.close();
    }
  }, 120_000);
});
