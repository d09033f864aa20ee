import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store, importDataset, precalculerLesAnnees } from '@mixite/data';
import type { Configuration, LigneIndicateur } from '../src/contract.ts';
import type { RunningServer } from '../src/start.ts';
import { startServer } from '../src/start.ts';
import { MINI } from './helpers.ts';

/**
 * Warm start (issue 18, item 4), on the real server and a real store file: the first dashboard call after a start is
 * answered from the rows kept in the store — proved by a marker planted in the kept rows, which the engine never
 * computes — and a kept figure is never served once the data or the settings changed: after an import (made with
 * the server stopped, as by the command line) and after a target changed through the API, the served figures are
 * the new ones, at once and after the next start.
 */

const MARQUEUR = 424_242;
let dir: string;
let base: string;
let annee: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mixite-chaud-'));
  base = join(dir, 'base.duckdb');
  const store = await Store.open(base);
  try {
    await importDataset(store, [MINI], { auteur: 'test' });
    // What `mixite import` does after loading: every year kept.
    await precalculerLesAnnees(store);
    const [row] = await store.all<{ a: number }>(`SELECT max(year(date_cal))::INTEGER AS a FROM attributions`);
    annee = row?.a as number;
  } finally {
    store.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function planterLeMarqueur(): Promise<void> {
  const store = await Store.open(base);
  try {
    await store.run(`UPDATE resultats_indicateurs_lignes SET numerateur = ${MARQUEUR} WHERE annee = ${annee} AND perimetre_type = 'territoire' AND indicateur = 'hors_qpv_q1' AND periode = '${annee}'`);
  } finally {
    store.close();
  }
}

async function demarrer(): Promise<RunningServer> {
  return startServer({ port: 0, basePath: base, securite: { mode: 'demonstration' }, webDist: null, log: () => undefined });
}

async function ligneDuTerritoire(server: RunningServer): Promise<LigneIndicateur | undefined> {
  const response = await fetch(`${server.url}api/indicateurs?annee=${annee}&perimetre_type=territoire`);
  expect(response.status).toBe(200);
  const { lignes } = (await response.json()) as { lignes: LigneIndicateur[] };
  return lignes.find((l) => l.indicateur === 'hors_qpv_q1' && l.periode === String(annee));
}

describe('démarrage à chaud', () => {
  it('répond au premier appel avec les lignes gardées, et ne les sert plus après un import', async () => {
    await planterLeMarqueur();
    let server = await demarrer();
    try {
      // First call: the kept row, marker included (the engine would have counted the real households).
      expect((await ligneDuTerritoire(server))?.numerateur).toBe(MARQUEUR);
    } finally {
      await server.close();
    }
    // An import with the server stopped (the command line without precomputing): the kept year is of the old data.
    const store = await Store.open(base);
    try {
      await importDataset(store, [MINI], { auteur: 'test' });
    } finally {
      store.close();
    }
    server = await demarrer();
    try {
      const ligne = await ligneDuTerritoire(server);
      expect(ligne?.numerateur).not.toBe(MARQUEUR);
      expect(ligne?.denominateur).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('sert la nouvelle cible dès qu’elle est changée, puis au démarrage suivant', async () => {
    let server = await demarrer();
    try {
      const session = (await (await fetch(`${server.url}api/session`)).json()) as { csrf: string };
      const config = (await (await fetch(`${server.url}api/configuration`)).json()) as Configuration;
      // Targets are shares: 0.37 is nobody's default (hors_qpv_q1's legal floor is 0.25).
      const contenu = { ...config.contenu, cibles: { ...config.contenu.cibles, hors_qpv_q1: 0.37 } };
      const put = await fetch(`${server.url}api/configuration`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-mixite-csrf': session.csrf },
        body: JSON.stringify({ contenu }),
      });
      expect(put.status).toBe(200);
      expect((await ligneDuTerritoire(server))?.cible).toBe(0.37);
      // The warm-up after the write keeps the new figures: wait for it, then plant the marker in what it kept.
      await server.mixite.deps.indicateurs.warmUp();
    } finally {
      await server.close();
    }
    await planterLeMarqueur();
    server = await demarrer();
    try {
      const ligne = await ligneDuTerritoire(server);
      // Served from the store (the marker) with the new target: the kept rows are those of the new settings.
      expect(ligne?.numerateur).toBe(MARQUEUR);
      expect(ligne?.cible).toBe(0.37);
    } finally {
      await server.close();
    }
  });
});
