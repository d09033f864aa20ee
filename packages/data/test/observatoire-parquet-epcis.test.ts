import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndicatorResults } from '@mixite/core';
import { LEGAL_DECLARATIONS } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../src/import/import-dataset.ts';
import { calculerIndicateurs } from '../src/indicators/engine.ts';
import { Observatoire, exporterParquet, exporterParquetParEpci, indicateursDesEpci, indicateursDesEpciUnParUn } from '../src/parquet/index.ts';
import type { ExportParquetEpcis, IndicateursEpci } from '../src/parquet/index.ts';
import { Store } from '../src/store/store.ts';

/**
 * `exporterParquetParEpci` (issue 18, item 5): a base of two EPCIs (as the national demo is one base of every EPCI)
 * filed one partition per EPCI of its communes. The golden territory of the indicator tests with commune 91002 moved to
 * EPCI 200000002 and no code_epci in cia.yaml; a few requests get wished communes or a commune of residence to
 * exercise the rules of the requests. Expected values by hand from the fixture's files (listed below).
 */

const FIXTURE = fileURLToPath(new URL('fixtures/indicators/territoire', import.meta.url));
const A = '200000001';
const B = '200000002';

let work: string;
let dossier: string;
let export_: ExportParquetEpcis;
let base: IndicatorResults;

/** Adds two columns to demandes.csv: wished communes and commune of residence, by nur. */
function ajouterColonnes(csv: string, valeurs: Record<string, [string, string]>): string {
  const [entete, ...lignes] = csv.trimEnd().split('\n');
  return [`${entete};communes_souhaitees;code_insee_residence`, ...lignes.map((l) => `${l};${(valeurs[l.split(';')[0] as string] ?? ['', '']).join(';')}`)].join('\n') + '\n';
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mixite-observatoire-epcis-'));
  const donnees = join(work, 'deux-epci');
  cpSync(FIXTURE, donnees, { recursive: true });
  writeFileSync(join(donnees, 'communes.csv'), readFileSync(join(donnees, 'communes.csv'), 'utf8').replace(`91002;Ville-Basse;${A};CA Golden`, `91002;Ville-Basse;${B};CC Basse`));
  writeFileSync(join(donnees, 'cia.yaml'), readFileSync(join(donnees, 'cia.yaml'), 'utf8').replace(`code_epci: "${A}"\n`, ''));
  // D01 wishes 91002 (B), D02 both communes (A and B), D04 wishes nothing but lives in 91001 (A); D05 and D19 have
  // neither a wish, nor an allocation, nor a commune of residence: in no EPCI.
  writeFileSync(
    join(donnees, 'demandes.csv'),
    ajouterColonnes(readFileSync(join(donnees, 'demandes.csv'), 'utf8'), { D01: ['91002', ''], D02: ['91001|91002', ''], D04: ['', '91001'] }),
  );
  const store = await Store.open(':memory:');
  try {
    await importDataset(store, [donnees]);
    dossier = join(work, 'observatoire');
    export_ = await exporterParquetParEpci(store, dossier);
    base = await calculerIndicateurs(store, { annee: 2024 });
  } finally {
    store.close();
  }
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The `epci` column of a file, in the order of its rows. */
async function epcisDansLOrdre(fichier: string): Promise<string[]> {
  const store = await Store.open(':memory:');
  try {
    return (await store.all<{ epci: string }>(`SELECT epci FROM read_parquet('${join(dossier, fichier)}')`)).map((r) => r.epci);
  } finally {
    store.close();
  }
}

async function compter(table: string): Promise<Record<string, number>> {
  const store = await Store.open(':memory:');
  try {
    const rows = await store.all<{ epci: string; n: number }>(
      `SELECT epci::VARCHAR AS epci, count(*)::INTEGER AS n FROM read_parquet('${dossier}/${table}/**/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.epci, r.n]));
  } finally {
    store.close();
  }
}

describe('a base of many EPCIs exported one partition per EPCI', () => {
  it('files each EPCI’s rows by its communes', async () => {
    expect(export_.epcis).toEqual([A, B]);
    // Grouped (disposition.ts): one file per table and year, the EPCI a column of the rows, in EPCI order.
    expect(readdirSync(join(dossier, 'communes'))).toEqual(['data_0.parquet']);
    expect(readdirSync(join(dossier, 'attributions')).every((nom) => /^annee=\d{4}$/.test(nom))).toBe(true);
    expect(await epcisDansLOrdre('communes/data_0.parquet')).toEqual([A, B]);
    expect(await epcisDansLOrdre('logements/data_0.parquet')).toEqual([A, A, A, B, B]);
    expect(await compter('communes')).toEqual({ [A]: 1, [B]: 1 });
    // Dwellings L1 L2 L5 in 91001, L3 L4 in 91002.
    expect(await compter('logements')).toEqual({ [A]: 3, [B]: 2 });
    // Allocations by the dwelling's commune: A05 A06 A07 A15 (L1), A11 (L2), A04 A10 A14 (L5) = 8 in A;
    // A02 A08 A13 (L3), A01 A03 A09 (L4), A12 (its own code_insee 91002) = 7 in B.
    expect(await compter('attributions')).toEqual({ [A]: 8, [B]: 7 });
    // Requests: A holds the 8 of its allocations (D09 D10 D11 D20 D15 D08 D14 D18), D02 (wish) and D04 (residence) = 10;
    // B the 7 of its allocations (D06 D12 D17 D03 D07 D13 D16), D01 and D02 (wishes) = 9; D05 and D19 nowhere.
    expect(await compter('demandes')).toEqual({ [A]: 10, [B]: 9 });
    expect(export_.lignes.demandes).toBe(19);
    // The general thresholds (2023, 2024) in both, A's own 2024 row in A only.
    expect(await compter('seuils')).toEqual({ [A]: 3, [B]: 2 });
    // The settings in each, under its own code_epci.
    expect(await compter('configuration')).toEqual({ [A]: 1, [B]: 1 });
  });

  it('gives each EPCI the commune rows the whole base gives, and the same in one pass as EPCI by EPCI', async () => {
    const tous: IndicateursEpci[] = [];
    await indicateursDesEpci(dossier, 2024, (r) => {
      tous.push(r);
    });
    const unParUn: IndicateursEpci[] = [];
    await indicateursDesEpciUnParUn(dossier, 2024, (r) => {
      unParUn.push(r);
    });
    expect(tous).toEqual(unParUn);
    expect(tous.map((r) => [r.epci, r.resultats.configuration.code_epci])).toEqual([
      [A, A],
      [B, B],
    ]);
    // A commune's allocations are all in its EPCI's partition, with the published Q1 threshold of its EPCI: its rows
    // are the whole base's, target included (91002's hors_qpv_q1 target is 0.30 by cibles_par_perimetre). Not the
    // quartile-based ones (q3_q4): the median and third quartile come from the demand, the whole base's demand there,
    // each EPCI's own here (as in its own base).
    const horsQuartiles = new Set(LEGAL_DECLARATIONS.filter((d) => d.critere !== 'q3_q4').map((d) => d.id));
    expect(horsQuartiles.size).toBe(LEGAL_DECLARATIONS.length - 1);
    for (const [epci, commune] of [
      [A, '91001'],
      [B, '91002'],
    ] as const) {
      const lignes = tous.find((r) => r.epci === epci)?.resultats.indicateurs.filter((x) => x.perimetre_type === 'commune' && horsQuartiles.has(x.indicateur)) ?? [];
      expect(lignes.length).toBeGreaterThan(0);
      expect(lignes).toEqual(base.indicateurs.filter((x) => x.perimetre_type === 'commune' && x.perimetre_id === commune && horsQuartiles.has(x.indicateur)));
    }
    // By hand (engine.test.ts's table), B's territory in 2024: leases hors QPV A01 A02 A03 (L4, L3) and A08 (L3); B has
    // no threshold row of its own, so the general 11 000 applies: A01 and A02 (12 606) and A03 (12 606.12) are above
    // it, A08 (8 400) below → 1 / 4, and the default target 0.25.
    const cellule = tous.find((r) => r.epci === B)?.resultats.indicateurs.find((x) => x.indicateur === 'hors_qpv_q1' && x.perimetre_type === 'territoire' && x.periode === '2024');
    expect([cellule?.numerateur, cellule?.denominateur, cellule?.cible]).toEqual([1, 4, 0.25]);
  });

  it('reads an EPCI’s own export beside a grouped one, its own folders replacing its grouped rows', async () => {
    // B exports its own base (here the whole two-commune base, filed under B) into the grouped folder.
    const mixte = join(work, 'mixte');
    cpSync(dossier, mixte, { recursive: true });
    const store = await Store.open(':memory:');
    try {
      await importDataset(store, [join(work, 'deux-epci')]);
      await exporterParquet(store, mixte, { epci: B });
    } finally {
      store.close();
    }
    expect(readdirSync(join(mixte, 'communes')).sort()).toEqual(['data_0.parquet', `epci=${B}`]);
    const observatoire = await Observatoire.ouvrir(mixte);
    try {
      expect(observatoire.epcis).toEqual([A, B]);
      // B: its own export's 2 communes and 15 allocations (the whole base), not its 1 and 7 of the grouped files.
      await observatoire.selectionner(B);
      expect(await observatoire.store.all(`SELECT count(*)::INTEGER AS n FROM communes UNION ALL SELECT count(*)::INTEGER FROM attributions`)).toEqual([{ n: 2 }, { n: 15 }]);
      // A: its grouped rows (1 commune, 8 allocations).
      await observatoire.selectionner(A);
      expect(await observatoire.store.all(`SELECT count(*)::INTEGER AS n FROM communes UNION ALL SELECT count(*)::INTEGER FROM attributions`)).toEqual([{ n: 1 }, { n: 8 }]);
    } finally {
      observatoire.close();
    }
    const tous: IndicateursEpci[] = [];
    await indicateursDesEpci(mixte, 2024, (r) => {
      tous.push(r);
    });
    const unParUn: IndicateursEpci[] = [];
    await indicateursDesEpciUnParUn(mixte, 2024, (r) => {
      unParUn.push(r);
    });
    expect(tous).toEqual(unParUn);
    // B's territory cell is the whole base's (its own export is the whole base).
    const cellule = (r: IndicatorResults | undefined) => r?.indicateurs.find((x) => x.indicateur === 'hors_qpv_q1' && x.perimetre_type === 'territoire' && x.periode === '2024');
    expect(cellule(tous.find((r) => r.epci === B)?.resultats)?.denominateur).toBe(cellule(base)?.denominateur);
  });
});
