import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndicatorResults } from '@mixite/core';
import { DonneesInvalidesError } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../src/import/import-dataset.ts';
import { calculerIndicateurs } from '../src/indicators/engine.ts';
import { DOSSIERS_DES_FAITS, DOSSIER_COUVERTURE, DOSSIER_FAITS, DOSSIER_DEMANDE_STOCK, DOSSIER_LIEUX, exporterParquet, indicateursDesEpci, indicateursDesEpciUnParUn, regrouperObservatoire } from '../src/parquet/index.ts';
import type { IndicateursEpci, OptionsDesEpci } from '../src/parquet/index.ts';
import { Store } from '../src/store/store.ts';

/**
 * The Parquet observatory (issue 18, item 5), on real DuckDB and real files: two EPCIs built from the golden territory
 * of the indicator tests (packages/data/test/fixtures/indicators/territoire, its figures worked by hand in
 * src/indicators/engine.test.ts) — A as it is (EPCI 200000001), B the same under EPCI 200000002 with its own 2024
 * threshold row and one lease fewer (A11), C the same as A under EPCI 200000003 with other settings: the assimilated
 * sector SA09101 counted as QPV (a setting that changes the engine's SQL: a second pass of the one-pass engine) and
 * its own hors_qpv_q1 target. Each is imported into a store of its own and exported into ONE folder; the
 * folder is then read as it is. Expected values: the engine on each store (the store path, no Parquet involved),
 * and a few figures by hand.
 */

const FIXTURE = fileURLToPath(new URL('fixtures/indicators/territoire', import.meta.url));
const EPCI_A = '200000001';
const EPCI_B = '200000002';
const EPCI_C = '200000003';

let work: string;
let dossierA: string;
let dossierB: string;
let dossierC: string;
let parquet: string;
const parStore = new Map<string, IndicatorResults>();
const compte = new Map<string, Record<string, number>>();

async function importer(dossier: string): Promise<Store> {
  const store = await Store.open(':memory:');
  await importDataset(store, [dossier]);
  return store;
}

function territoireB(): string {
  const dir = join(work, 'b');
  cpSync(FIXTURE, dir, { recursive: true });
  for (const f of ['communes.csv', 'cia.yaml', 'seuils.csv']) writeFileSync(join(dir, f), readFileSync(join(dir, f), 'utf8').replaceAll(EPCI_A, EPCI_B));
  const attributions = readFileSync(join(dir, 'attributions.csv'), 'utf8').split('\n');
  writeFileSync(join(dir, 'attributions.csv'), attributions.filter((l) => !l.startsWith('A11;')).join('\n'));
  return dir;
}

function territoireC(): string {
  const dir = join(work, 'c');
  cpSync(FIXTURE, dir, { recursive: true });
  for (const f of ['communes.csv', 'seuils.csv']) writeFileSync(join(dir, f), readFileSync(join(dir, f), 'utf8').replaceAll(EPCI_A, EPCI_C));
  const cia = readFileSync(join(dir, 'cia.yaml'), 'utf8').replaceAll(EPCI_A, EPCI_C).replace('assimiles_comme_qpv: false', 'assimiles_comme_qpv: true');
  writeFileSync(join(dir, 'cia.yaml'), cia.replace('cibles:\n', 'cibles:\n  hors_qpv_q1: 0.4\n'));
  return dir;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mixite-observatoire-'));
  dossierA = FIXTURE;
  dossierB = territoireB();
  dossierC = territoireC();
  parquet = join(work, 'observatoire');
  for (const [epci, dossier] of [
    [EPCI_A, dossierA],
    [EPCI_B, dossierB],
    [EPCI_C, dossierC],
  ] as const) {
    const store = await importer(dossier);
    try {
      const { epci: ecrit, lignes } = await exporterParquet(store, parquet);
      expect(ecrit).toBe(epci);
      parStore.set(epci, await calculerIndicateurs(store, { annee: 2024 }));
      // Plain SQL on the store, per table and year: what the partitions must hold.
      const attributions = await store.all<{ annee: number; n: number }>(`SELECT year(date_cal)::INTEGER AS annee, count(*)::INTEGER AS n FROM attributions GROUP BY 1`);
      const demandes = await store.all<{ annee: number; n: number }>(`SELECT year(date_depot)::INTEGER AS annee, count(*)::INTEGER AS n FROM demandes GROUP BY 1`);
      compte.set(epci, {
        ...Object.fromEntries(attributions.map((r) => [`attributions/${r.annee}`, r.n])),
        ...Object.fromEntries(demandes.map((r) => [`demandes/${r.annee}`, r.n])),
        communes: lignes.communes,
      });
    } finally {
      store.close();
    }
  }
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function lire(dossier: string, options: OptionsDesEpci = {}, annee = 2024): Promise<IndicateursEpci[]> {
  const tous: IndicateursEpci[] = [];
  await indicateursDesEpci(
    dossier,
    annee,
    (r) => {
      tous.push(r);
    },
    options,
  );
  return tous;
}

/** The run's results and where each group's facts came from (exported or computed). */
async function lireAvecOrigine(dossier: string, options: OptionsDesEpci = {}, annee = 2024): Promise<{ tous: IndicateursEpci[]; origines: string[] }> {
  const origines: string[] = [];
  const tous = await lire(dossier, { ...options, origineDesFaits: (o) => origines.push(o) }, annee);
  return { tous, origines };
}

describe('mixite exporter --format parquet', () => {
  it('writes every table partitioned by EPCI, and by year where the table has one', () => {
    expect(readdirSync(join(parquet, 'attributions')).sort()).toEqual([`epci=${EPCI_A}`, `epci=${EPCI_B}`, `epci=${EPCI_C}`]);
    // The fixture's allocations: A09 in 2023, the 14 others in 2024 (A11 removed from B: 13).
    expect(readdirSync(join(parquet, 'attributions', `epci=${EPCI_A}`)).sort()).toEqual(['annee=2023', 'annee=2024']);
    expect(compte.get(EPCI_A)?.['attributions/2024']).toBe(14);
    expect(compte.get(EPCI_B)?.['attributions/2024']).toBe(13);
    // Referentials have no year: one folder per EPCI.
    expect(readdirSync(join(parquet, 'communes', `epci=${EPCI_A}`))).toEqual(['data_0.parquet']);
    // conventions is empty in the fixture: its folder exists (an empty table, not a missing one), with no file.
    expect(readdirSync(join(parquet, 'conventions'))).toEqual([]);
  });

  it('holds exactly the rows of the store, per EPCI and year', async () => {
    const store = await Store.open(':memory:');
    try {
      const rows = await store.all<{ t: string; epci: string; annee: number | null; n: number }>(
        `SELECT 'attributions' AS t, epci, annee, count(*)::INTEGER AS n FROM read_parquet('${parquet}/attributions/**/*.parquet', hive_partitioning = true) GROUP BY ALL
         UNION ALL SELECT 'demandes', epci, annee, count(*)::INTEGER FROM read_parquet('${parquet}/demandes/**/*.parquet', hive_partitioning = true) GROUP BY ALL
         UNION ALL SELECT 'communes', epci, NULL, count(*)::INTEGER FROM read_parquet('${parquet}/communes/**/*.parquet', hive_partitioning = true) GROUP BY ALL`,
      );
      for (const epci of [EPCI_A, EPCI_B, EPCI_C]) {
        const attendu = compte.get(epci) ?? {};
        const lu = Object.fromEntries(rows.filter((r) => String(r.epci) === epci).map((r) => [r.t === 'communes' ? 'communes' : `${r.t}/${r.annee}`, r.n]));
        expect(lu).toEqual(attendu);
      }
      // The fixture's two communes, 91001 and 91002, in each EPCI.
      expect(compte.get(EPCI_A)?.communes).toBe(2);
    } finally {
      store.close();
    }
  });

  it('replaces an EPCI’s previous export and leaves the others’ files alone', async () => {
    const copie = join(work, 'reecrit');
    cpSync(parquet, copie, { recursive: true });
    const store = await importer(dossierB);
    try {
      await store.run(`DELETE FROM attributions WHERE id = 'A01'`);
      await exporterParquet(store, copie);
    } finally {
      store.close();
    }
    const lecteur = await Store.open(':memory:');
    try {
      const rows = await lecteur.all<{ epci: string; n: number }>(`SELECT epci::VARCHAR AS epci, count(*)::INTEGER AS n FROM read_parquet('${copie}/attributions/**/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1`);
      // A: 15 allocations; B: 15 − A11 − A01 = 13, no row of its previous export left.
      expect(rows).toEqual([
        { epci: EPCI_A, n: 15 },
        { epci: EPCI_B, n: 13 },
        { epci: EPCI_C, n: 15 },
      ]);
    } finally {
      lecteur.close();
    }
    expect(existsSync(join(copie, `.export-${EPCI_B}-${process.pid}`))).toBe(false);
  });
});

describe('indicateurs over a Parquet folder of many EPCIs', () => {
  it('gives each EPCI exactly what the engine gives on its own store', async () => {
    const tous = await lire(parquet);
    expect(tous.map((r) => r.epci)).toEqual([EPCI_A, EPCI_B, EPCI_C]);
    for (const { epci, resultats } of tous) {
      const attendu = parStore.get(epci);
      expect(resultats.indicateurs).toEqual(attendu?.indicateurs);
      expect(resultats.demande).toEqual(attendu?.demande);
      expect(resultats.limites).toEqual(attendu?.limites);
      expect(resultats.configuration).toEqual(attendu?.configuration);
      // Whole: the checks and the secrecy context too (what publication and the bilan read).
      expect(resultats).toEqual(attendu);
    }
    // The one-pass engine and the engine EPCI by EPCI on the same folder: the same results.
    const unParUn: IndicateursEpci[] = [];
    await indicateursDesEpciUnParUn(parquet, 2024, (r) => {
      unParUn.push(r);
    });
    expect(tous).toEqual(unParUn);
  });

  it('keeps each EPCI’s settings, even those that change the SQL (figures by hand)', async () => {
    const tous = await lire(parquet);
    const cellule = (epci: string, indicateur: string) =>
      tous.find((r) => r.epci === epci)?.resultats.indicateurs.find((x) => x.indicateur === indicateur && x.perimetre_type === 'territoire' && x.periode === '2024');
    // A's SA09101 is out of QPV, C's in QPV: its 2024 lease A11 (L2, Q1) leaves C's hors-QPV count. A: 7 / 8
    // (engine.test.ts); C: 8 − A11 = 7 leases, 7 − A11 = 6 of them Q1 or relocated.
    const horsA = cellule(EPCI_A, 'hors_qpv_q1');
    const horsC = cellule(EPCI_C, 'hors_qpv_q1');
    expect([horsA?.numerateur, horsA?.denominateur]).toEqual([7, 8]);
    expect([horsC?.numerateur, horsC?.denominateur]).toEqual([6, 7]);
    // C's own target for hors_qpv_q1 (0.4), A's cia.yaml leaves the default (0.25).
    expect([horsA?.cible, horsC?.cible]).toEqual([0.25, 0.4]);
    // A counts SA09101 among the secteurs hors QPV, C does not.
    expect(tous.find((r) => r.epci === EPCI_A)?.resultats.contexte.secteursHorsQpv).toEqual(['SA09101']);
    expect(tous.find((r) => r.epci === EPCI_C)?.resultats.contexte.secteursHorsQpv).toEqual([]);
  });

  it('computes each EPCI with its own rows, settings and threshold (figures by hand)', async () => {
    const tous = await lire(parquet);
    const cellule = (epci: string, perimetre: string, id: string) =>
      tous.find((r) => r.epci === epci)?.resultats.indicateurs.find((x) => x.indicateur === 'hors_qpv_q1' && x.perimetre_type === perimetre && x.perimetre_id === id && x.periode === '2024');
    // A (engine.test.ts): leases hors QPV in 2024 A01 A02 A03 A04 A08 A10 A11 A14 = 8, Q1 or relocated all but A03 = 7.
    expect([cellule(EPCI_A, 'territoire', 'territoire')?.numerateur, cellule(EPCI_A, 'territoire', 'territoire')?.denominateur]).toEqual([7, 8]);
    // B: the same without A11 (Q1) → 6 / 7; its threshold row is its own (12 606 under 200000002).
    expect([cellule(EPCI_B, 'territoire', 'territoire')?.numerateur, cellule(EPCI_B, 'territoire', 'territoire')?.denominateur]).toEqual([6, 7]);
    // Commune 91001 of B: A04 A10 A14 (A11 gone) → 3 / 3; its target 0.25 is cia.yaml's default for hors_qpv_q1.
    expect(cellule(EPCI_B, 'commune', '91001')).toMatchObject({ numerateur: 3, denominateur: 3, cible: 0.25 });
  });
});

describe('a folder of EPCIs’ exports rewritten in the grouped layout (regrouperObservatoire)', () => {
  it('holds the same rows, and gives each EPCI exactly what the engine gives on its own store', async () => {
    const groupe = join(work, 'regroupe');
    const { epcis, lignes } = await regrouperObservatoire(parquet, groupe);
    expect(epcis).toEqual([EPCI_A, EPCI_B, EPCI_C]);
    // One file per table (and year): no EPCI folder; the three communes rows of the three exports.
    expect(readdirSync(join(groupe, 'communes'))).toEqual(['data_0.parquet']);
    expect(readdirSync(join(groupe, 'attributions')).sort()).toEqual(['annee=2023', 'annee=2024']);
    expect(lignes.communes).toBe([...compte.values()].reduce((n, c) => n + (c.communes ?? 0), 0));
    const tous = await lire(groupe);
    expect(tous.map((r) => r.epci)).toEqual([EPCI_A, EPCI_B, EPCI_C]);
    for (const { epci, resultats } of tous) expect(resultats).toEqual(parStore.get(epci));
    // Read EPCI by EPCI from the row groups (bilan --parquet): the same.
    const unParUn: IndicateursEpci[] = [];
    await indicateursDesEpciUnParUn(groupe, 2024, (r) => {
      unParUn.push(r);
    });
    expect(unParUn).toEqual(tous);
    await expect(regrouperObservatoire(groupe, groupe)).rejects.toThrow(/même dossier/);
  });
});

describe('the facts exported with a grouped folder (faits-parquet.ts)', () => {
  let groupe: string;
  beforeAll(async () => {
    groupe = join(work, 'regroupe-faits');
    await regrouperObservatoire(parquet, groupe);
  }, 60_000);

  it('are written per year, and give each EPCI exactly what the engine gives on its own store', async () => {
    // The years with a proposal or a lease (2023, 2024); two groups of settings (A and B; C's assimilated sectors).
    expect(readdirSync(join(groupe, DOSSIER_FAITS)).sort()).toEqual(['annee=2023', 'annee=2024']);
    expect(readdirSync(join(groupe, DOSSIER_FAITS, 'annee=2024')).sort()).toEqual(['data_0.parquet', 'data_1.parquet']);
    for (const sous of DOSSIERS_DES_FAITS) expect(readdirSync(join(groupe, sous)).sort(), sous).toEqual(['annee=2023', 'annee=2024']);
    const avec = await lireAvecOrigine(groupe);
    expect(avec.origines).toEqual(['exportes', 'exportes']);
    for (const { epci, resultats } of avec.tous) expect(resultats).toEqual(parStore.get(epci));
    // The fallback on the same folder: the facts computed, the same results.
    const sans = await lireAvecOrigine(groupe, { faitsExportes: false });
    expect(sans.origines).toEqual(['calcules', 'calcules']);
    expect(sans.tous).toEqual(avec.tous);
  });

  it('hold, for the year, the rows of the facts each EPCI’s own engine classifies (by hand: A’s 2024 leases)', async () => {
    const store = await Store.open(':memory:');
    try {
      // A (engine.test.ts): 8 leases hors QPV in 2024 (A01 A02 A03 A04 A08 A10 A11 A14).
      const [n] = await store.all<{ n: number }>(
        `SELECT count(*)::INTEGER AS n FROM read_parquet('${join(groupe, DOSSIER_FAITS, 'annee=2024', '*.parquet')}') WHERE epci = '${EPCI_A}' AND base = 'baux' AND tranche > 0 AND NOT en_qpv`,
      );
      expect(n?.n).toBe(8);
      // Every EPCI is in the coverage of each year, even without a row.
      const couverture = await store.all<{ epci: string }>(`SELECT epci FROM read_parquet('${join(groupe, DOSSIER_COUVERTURE, 'annee=2024', '*.parquet')}') ORDER BY epci`);
      expect(couverture.map((c) => c.epci)).toEqual([EPCI_A, EPCI_B, EPCI_C]);
    } finally {
      store.close();
    }
  });

  it('fall back to computing the facts when they are stale, absent or not of the year', async () => {
    // Stale: a definition that is not the running code's (an older version of the rules) for C's group only.
    const perime = join(work, 'faits-perimes');
    cpSync(groupe, perime, { recursive: true });
    const fichier = join(perime, DOSSIER_COUVERTURE, 'annee=2024', 'data_1.parquet');
    const store = await Store.open(':memory:');
    try {
      await store.run(`COPY (SELECT * REPLACE ('0000000000000000' AS definition) FROM read_parquet('${fichier}')) TO '${fichier}.tmp' (FORMAT parquet)`);
    } finally {
      store.close();
    }
    cpSync(`${fichier}.tmp`, fichier);
    rmSync(`${fichier}.tmp`);
    const perimes = await lireAvecOrigine(perime);
    expect(perimes.origines).toEqual(['exportes', 'calcules']);
    for (const { epci, resultats } of perimes.tous) expect(resultats).toEqual(parStore.get(epci));
    // Absent (a grouped export of an older version): computed.
    /** The grouped export copied without `dossiers`: read with the expected origin, the same results as each base's; gives the copy. */
    const sansDossiers = async (nom: string, dossiers: readonly string[], origine: string): Promise<string> => {
      const copie = join(work, nom);
      cpSync(groupe, copie, { recursive: true });
      for (const dossier of dossiers) rmSync(join(copie, dossier), { recursive: true });
      const lus = await lireAvecOrigine(copie);
      expect(lus.origines).toEqual([origine, origine]);
      for (const { epci, resultats } of lus.tous) expect(resultats).toEqual(parStore.get(epci));
      return copie;
    };
    const absent = await sansDossiers('faits-absents', [DOSSIER_FAITS, DOSSIER_COUVERTURE], 'calcules');
    // The facts without the numbered places (only these removed): the facts read, the places computed from them.
    await sansDossiers('faits-sans-lieux', [DOSSIER_LIEUX], 'exportes');
    // The facts without the requests' aggregates: the facts read, the demand computed from the requests.
    await sansDossiers('faits-sans-demande', [DOSSIER_DEMANDE_STOCK], 'exportes');
    // A year without exported facts (2025: its window holds the leases of late 2024): computed, as without facts.
    const annee2025 = await lireAvecOrigine(groupe, {}, 2025);
    expect(annee2025.origines).toEqual(['calcules', 'calcules']);
    expect(annee2025.tous).toEqual(await lire(absent, {}, 2025));
  });

  it('give way to an EPCI’s own export placed beside them (its grouped facts would be stale)', async () => {
    const mixte = join(work, 'faits-mixte');
    cpSync(groupe, mixte, { recursive: true });
    const store = await importer(dossierB);
    try {
      await exporterParquet(store, mixte);
    } finally {
      store.close();
    }
    const { tous, origines } = await lireAvecOrigine(mixte);
    // A and B (B now from its own folders): computed; C alone in its group: its exported facts.
    expect(origines).toEqual(['calcules', 'exportes']);
    for (const { epci, resultats } of tous) expect(resultats).toEqual(parStore.get(epci));
  });
});

describe('a malformed folder', () => {
  it('names the missing table', async () => {
    const dir = join(work, 'sans-seuils');
    cpSync(parquet, dir, { recursive: true });
    rmSync(join(dir, 'seuils'), { recursive: true });
    await expect(lire(dir)).rejects.toThrow(DonneesInvalidesError);
    await expect(lire(dir)).rejects.toThrow(/la table « seuils » manque/);
  });

  it('names the file with a column of the wrong type', async () => {
    const dir = join(work, 'mauvais-type');
    cpSync(parquet, dir, { recursive: true });
    const fichier = join(dir, 'attributions', `epci=${EPCI_B}`, 'annee=2024', 'data_0.parquet');
    const store = await Store.open(':memory:');
    try {
      // nb_pieces written as text instead of the store's INTEGER.
      await store.run(`COPY (SELECT * REPLACE (CAST(nb_pieces AS VARCHAR) AS nb_pieces) FROM read_parquet('${fichier}', hive_partitioning = false)) TO '${fichier}.tmp' (FORMAT parquet)`);
    } finally {
      store.close();
    }
    cpSync(`${fichier}.tmp`, fichier);
    rmSync(`${fichier}.tmp`);
    const erreur = await lire(dir).catch((e: unknown) => e);
    expect(erreur).toBeInstanceOf(DonneesInvalidesError);
    expect((erreur as Error).message).toContain(fichier);
    expect((erreur as Error).message).toMatch(/colonne « nb_pieces » de type VARCHAR au lieu de INTEGER\./);
  });
});
