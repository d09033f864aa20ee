import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportFailedError, Store, importDataset } from '../src/index.ts';
import { importerAvecPreset } from '../src/presets/index.ts';

/**
 * The RPLS preset on sample files written from the public descriptions (fixtures/presets/PROVENANCE.md), imported
 * for real into a DuckDB store. Every expected value is written by hand from the fixture rows and the rules of
 * docs/presets.md; ids are recomputed here with node:crypto from the documented key.
 */

const F = (nom: string) => fileURLToPath(new URL(`./fixtures/presets/${nom}`, import.meta.url));

/**
 * Lambert-93 → degrees, written here from IGN's published constants of the projection (IGN, « Projection
 * cartographique conique conforme de Lambert », NT/G 71: n = 0,7256077650, C = 11 754 255,426 m, Xs = 700 000 m,
 * Ys = 12 655 612,050 m, GRS80 e = 0,0818191910428158; inverse of ALG0003 through ALG0001): independent of proj4.
 */
function ign(x: number, y: number): { latitude: number; longitude: number } {
  const n = 0.725607765;
  const c = 11754255.426;
  const e = 0.0818191910428158;
  const dx = x - 700000;
  const dy = y - 12655612.05;
  const r = Math.hypot(dx, dy);
  const gamma = Math.atan(dx / -dy);
  const longitude = 3 + (gamma / n) * (180 / Math.PI);
  const L = -Math.log(Math.abs(r / c)) / n;
  let phi = 2 * Math.atan(Math.exp(L)) - Math.PI / 2;
  for (let i = 0; i < 20; i++) phi = 2 * Math.atan(((1 + e * Math.sin(phi)) / (1 - e * Math.sin(phi))) ** (e / 2) * Math.exp(L)) - Math.PI / 2;
  return { latitude: (phi * 180) / Math.PI, longitude };
}

/** Distance in metres between two nearby points (equirectangular: exact enough under a kilometre). */
const metres = (a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) => {
  const k = (Math.PI / 180) * 6371000;
  return Math.hypot((a.latitude - b.latitude) * k, (a.longitude - b.longitude) * k * Math.cos((a.latitude * Math.PI) / 180));
};

const md5 = (s: string) => createHash('md5').update(s).digest('hex').slice(0, 16);
/** docs/presets.md: commune, code postal, n° de voie, indice, type et nom de voie, lieu-dit, bâtiment, immeuble, entrée, escalier, couloir, étage, n° d’appartement. */
const idLogement = (parts: string[], n: number) => `rpls-${md5(parts.join('|'))}-${n}`;
const idResidence = (parts: string[]) => `rpls-res-${md5(parts.join('|'))}`;

let store: Store;
beforeEach(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [F('territoire')]);
});
afterEach(() => store.close());

type Ligne = Record<string, unknown>;
const logements = () =>
  store.all<Ligne>(
    `SELECT id, residence_id, bailleur_id, code_insee, code_qpv, nb_pieces, surface::DOUBLE AS surface, financement, loyer::DOUBLE AS loyer,
            annee_construction, strftime(date_mise_en_service, '%Y-%m-%d') AS date_mise_en_service, pmr, etage,
            attributs['mode_rpls'] AS mode_rpls
     FROM logements ORDER BY id`,
  );

describe('RPLS preset', () => {
  it('reads the 2023 fuller file (DEPCOM_CODE vintage, `;`, UTF-8, quoted strings) into exactly the expected dwellings', async () => {
    const rapport = await importerAvecPreset(store, [F('rpls-2023-loi.csv')], { preset: 'rpls', bailleur: 'B1' });
    expect(rapport.statut).toBe('reussi');
    // Address key of each fixture row (an absent part is ''), in the documented order.
    const evry12 = ['91228', '91000', '12', '', 'RUE', 'DES MAZIÈRES', '', '', '', '', '', '', '1', '0012'];
    const evry13 = ['91228', '91000', '12', '', 'RUE', 'DES MAZIÈRES', '', '', '', '', '', '', '2', '0013'];
    const corbeil = ['91174', '91100', '5', '', 'AV', 'DARBLAY', '', '', '', '', '', '', '0', '21'];
    const grigny101 = ['91286', '91350', '1', '', 'PL', 'HENRI BARBUSSE', '', '', '', '', '', '', '3', '101'];
    const grigny4 = ['91286', '91350', '1', '', 'PL', 'HENRI BARBUSSE', '', '', '', '', '', '', '4', ''];
    const resEvry = idResidence(['B1', '91228', '91000', '12', '', 'RUE', 'DES MAZIÈRES', '']);
    const resCorbeil = idResidence(['B1', '91174', '91100', '5', '', 'AV', 'DARBLAY', '']);
    const resGrigny = idResidence(['B1', '91286', '91350', '1', '', 'PL', 'HENRI BARBUSSE', '']);
    const attendu: Ligne[] = [
      // Line 2: FINAN_CODE 13 → plus; QPV_CODE 1 → PLG_QP; PMR_CODE 2 → non; LOCAT 1973 → 1973-01-01; let with rent.
      { id: idLogement(evry12, 1), residence_id: resEvry, bailleur_id: 'B1', code_insee: '91228', code_qpv: 'QN09101M', nb_pieces: 3, surface: 65.5, financement: 'plus', loyer: 412.35, annee_construction: 1972, date_mise_en_service: '1973-01-01', pmr: false, etage: 1, mode_rpls: '1' },
      // Line 3: FINAN_CODE 12 (plus) but CUS PLAI wins; LOYERPRINC 9999 → empty (vacant, MODE 2: no warning).
      { id: idLogement(evry13, 1), residence_id: resEvry, bailleur_id: 'B1', code_insee: '91228', code_qpv: 'QN09101M', nb_pieces: 4, surface: 80, financement: 'plai', loyer: null, annee_construction: 1972, date_mise_en_service: '1973-01-01', pmr: false, etage: 2, mode_rpls: '2' },
      // Line 4: QPV_CODE 2 → not in a QPV; FINAN_CODE 10 → plai; PMR_CODE 1 → oui.
      { id: idLogement(corbeil, 1), residence_id: resCorbeil, bailleur_id: 'B1', code_insee: '91174', code_qpv: null, nb_pieces: 2, surface: 45, financement: 'plai', loyer: 380, annee_construction: 2015, date_mise_en_service: '2016-01-01', pmr: true, etage: 0, mode_rpls: '1' },
      // Line 5: FINAN_CODE 14 (pls) but CUS PLUS wins; let (MODE 1) with 9999 → kept, loyer empty, warning; PMR empty.
      { id: idLogement(grigny101, 1), residence_id: resGrigny, bailleur_id: 'B1', code_insee: '91286', code_qpv: 'QN09102M', nb_pieces: 1, surface: 30.2, financement: 'plus', loyer: null, annee_construction: 1969, date_mise_en_service: '1970-01-01', pmr: null, etage: 3, mode_rpls: '1' },
      // Lines 6 and 7: the same address without apartment number: -1 and -2 in the file's order. 99 → autre, 16 → pli.
      { id: idLogement(grigny4, 1), residence_id: resGrigny, bailleur_id: 'B1', code_insee: '91286', code_qpv: 'QN09102M', nb_pieces: 5, surface: 92, financement: 'autre', loyer: 610.2, annee_construction: 1969, date_mise_en_service: '1970-01-01', pmr: null, etage: 4, mode_rpls: '1' },
      { id: idLogement(grigny4, 2), residence_id: resGrigny, bailleur_id: 'B1', code_insee: '91286', code_qpv: 'QN09102M', nb_pieces: 3, surface: 70, financement: 'pli', loyer: 523.4, annee_construction: 1969, date_mise_en_service: '1970-01-01', pmr: null, etage: 4, mode_rpls: '4' },
    ];
    expect(await logements()).toEqual([...attendu].sort((a, b) => String(a.id).localeCompare(String(b.id))));

    // The let dwelling without rent is reported on its source line and column.
    const sansLoyer = rapport.avertissements.filter((w) => w.colonne === 'LOYERPRINC');
    expect(sansLoyer.map((w) => [w.fichier, w.ligne, w.valeur])).toEqual([['rpls-2023-loi.csv', 5, '9999']]);

    // Residences: one per address, 2 + 1 + 3 dwellings, coordinates within 10 m of IGN's formula.
    const residences = await store.all<{ id: string; code_qpv: string | null; adresse: string; latitude: number; longitude: number; nb_logements: number }>(
      `SELECT id, code_qpv, adresse, latitude, longitude, nb_logements FROM residences ORDER BY nb_logements`,
    );
    expect(residences.map((r) => [r.id, r.code_qpv, r.adresse, r.nb_logements])).toEqual([
      [resCorbeil, null, '5 AV DARBLAY, 91100', 1],
      [resEvry, 'QN09101M', '12 RUE DES MAZIÈRES, 91000', 2],
      [resGrigny, 'QN09102M', '1 PL HENRI BARBUSSE, 91350', 3],
    ]);
    const points: Record<string, [number, number]> = { [resEvry]: [657961.4, 6836164.2], [resCorbeil]: [661756.2, 6834915.1], [resGrigny]: [655289.4, 6839486.0] };
    for (const r of residences) {
      const [x, y] = points[r.id] as [number, number];
      expect(metres(r, ign(x, y))).toBeLessThan(10);
    }
    // And against the points the fixture was written from (48.6243 N 2.4296 E for Évry…), the same 10 m.
    expect(metres(residences.find((r) => r.id === resEvry) as { latitude: number; longitude: number }, { latitude: 48.6243, longitude: 2.4296 })).toBeLessThan(10);
  });

  it('reads an older vintage (lower case, _red suffixes, FINAN and QPV without _CODE, `,`, ISO-8859-1)', async () => {
    const rapport = await importerAvecPreset(store, [F('rpls-ancien.csv')], { preset: 'auto', bailleur: 'B2' });
    expect(rapport.statut).toBe('reussi');
    const evry = ['91228', '91000', '3', '', 'ALL', "DE L'ÉCOLE", '', '', '', '', '', '', '2', ''];
    const corbeil = ['91174', '91100', '8', '', 'RUE', 'FÉRAY, BÂTIMENT B', '', '', '', '', '', '', '1', ''];
    expect(await logements()).toEqual(
      [
        // 13 → plus, in a QPV (qpv 1 with plg_qp).
        { id: idLogement(evry, 1), residence_id: idResidence(['B2', '91228', '91000', '3', '', 'ALL', "DE L'ÉCOLE", '']), bailleur_id: 'B2', code_insee: '91228', code_qpv: 'QN09101M', nb_pieces: 2, surface: 50, financement: 'plus', loyer: null, annee_construction: 1980, date_mise_en_service: '1981-01-01', pmr: null, etage: 2, mode_rpls: null },
        // 51 (plus) but CUS PLS wins; qpv 0: not in a QPV even though plg_qp is filled.
        { id: idLogement(corbeil, 1), residence_id: idResidence(['B2', '91174', '91100', '8', '', 'RUE', 'FÉRAY, BÂTIMENT B', '']), bailleur_id: 'B2', code_insee: '91174', code_qpv: null, nb_pieces: 3, surface: 61.5, financement: 'pls', loyer: null, annee_construction: 1990, date_mise_en_service: '1991-01-01', pmr: null, etage: 1, mode_rpls: null },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    // ISO-8859-1 read right: the accented street name.
    const [r] = await store.all<{ adresse: string }>(`SELECT adresse FROM residences WHERE code_insee = '91174'`);
    expect(r?.adresse).toBe('8 RUE FÉRAY, BÂTIMENT B, 91100');
  });

  // Line 3 has FINAN_CODE 42 and no CUS; line 4 keeps its 14 and CUS PLUS (CUS decides: no error there).
  it('refuses an unknown FINAN_CODE on its line and column, and loses nothing', async () => {
    await importerAvecPreset(store, [F('rpls-2023-loi.csv')], { preset: 'rpls', bailleur: 'B1' });
    const avant = await logements();
    const erreur = await importerAvecPreset(store, [F('rpls-finan-inconnu.csv')], { preset: 'rpls', bailleur: 'B1' }).catch((e: unknown) => e);
    expect(erreur).toBeInstanceOf(ImportFailedError);
    const e = (erreur as ImportFailedError).report.erreurs;
    expect(e.map((p) => [p.fichier, p.ligne, p.colonne, p.valeur])).toEqual([['rpls-finan-inconnu.csv', 3, 'FINAN_CODE', '42']]);
    expect(e[0]?.message).toMatch(/code de financement inconnu/);
    expect(await logements()).toEqual(avant);
  });

  it('refuses coordinates outside metropolitan France (X and Y swapped) on their line', async () => {
    const erreur = await importerAvecPreset(store, [F('rpls-hors-france.csv')], { preset: 'rpls', bailleur: 'B1' }).catch((e: unknown) => e);
    expect(erreur).toBeInstanceOf(ImportFailedError);
    const e = (erreur as ImportFailedError).report.erreurs;
    expect(e.map((p) => [p.fichier, p.ligne, p.colonne, p.valeur])).toEqual([['rpls-hors-france.csv', 2, 'X, Y', '6834915.1 ; 661756.2']]);
    expect(e[0]?.message).toMatch(/hors de la France métropolitaine/);
    expect(await store.all(`SELECT * FROM logements`)).toEqual([]);
  });

  // The preset hands its converted rows to the import as a DuckDB relation (no canonical CSV written): a cell the
  // import itself refuses is still reported on the RPLS file's own line (4 = header + 3rd row) and column.
  it('reports a cell the canonical import refuses on the RPLS file, its line and its column, and loses nothing', async () => {
    await importerAvecPreset(store, [F('rpls-2023-loi.csv')], { preset: 'rpls', bailleur: 'B1' });
    const avant = await logements();
    const erreur = await importerAvecPreset(store, [F('rpls-surface-illisible.csv')], { preset: 'rpls', bailleur: 'B1' }).catch((e: unknown) => e);
    expect(erreur).toBeInstanceOf(ImportFailedError);
    const rapport = (erreur as ImportFailedError).report;
    expect(rapport.erreurs.map((p) => [p.fichier, p.ligne, p.colonne, p.valeur])).toEqual([['rpls-surface-illisible.csv', 4, 'SURFHAB', 'trente']]);
    expect(rapport.causes?.filter((c) => c.severite === 'erreur').map((c) => [c.fichier, c.colonne, c.nombre])).toEqual([['rpls-surface-illisible.csv', 'SURFHAB', 1]]);
    expect(await logements()).toEqual(avant);
    // Nothing the conversion kept in DuckDB outlives the import.
    expect(await store.all(`SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'preset_%'`)).toEqual([]);
    expect(await store.all(`SELECT view_name FROM duckdb_views() WHERE temporary AND view_name LIKE 'preset_%'`)).toEqual([]);
  });

  // A file no check reports on is converted once, without the source texts the checks show (rpls.ts, the fast way);
  // rpls-2023-loi.csv has a warning (line 5: let, rent 9999), so it is converted again the exact way. The same file
  // with line 5 vacant (MODE 2: no warning) takes the fast way: the same dwellings but that one's MODE, the same
  // residences, the repeated address of lines 6 and 7 numbered the same; and no temporary table outlives either.
  it('gives the same rows on the fast way as on the exact way it falls back to when a check reports a row', async () => {
    const exacte = await importerAvecPreset(store, [F('rpls-2023-loi.csv')], { preset: 'rpls', bailleur: 'B1' });
    expect(exacte.avertissements.filter((w) => w.colonne === 'LOYERPRINC').map((w) => w.ligne)).toEqual([5]);
    const parExacte = await logements();
    const residences = () => store.all<Ligne>(`SELECT id, bailleur_id, nom, code_insee, code_qpv, adresse, latitude, longitude, nb_logements FROM residences ORDER BY id`);
    const residencesExactes = await residences();
    const dossier = mkdtempSync(join(tmpdir(), 'mixite-rpls-rapide-'));
    try {
      const lignes = readFileSync(F('rpls-2023-loi.csv'), 'utf8').split('\n');
      lignes[4] = (lignes[4] as string).replace(/;9999;1$/, ';9999;2');
      const chemin = join(dossier, 'rpls-2023-loi.csv');
      writeFileSync(chemin, lignes.join('\n'));
      store.close();
      store = await Store.open(':memory:');
      await importDataset(store, [F('territoire')]);
      const rapide = await importerAvecPreset(store, [chemin], { preset: 'rpls', bailleur: 'B1' });
      expect(rapide.statut).toBe('reussi');
      expect(rapide.avertissements).toEqual(exacte.avertissements.filter((w) => w.colonne !== 'LOYERPRINC'));
      expect(await logements()).toEqual(parExacte.map((l) => (l.loyer === null && l.mode_rpls === '1' ? { ...l, mode_rpls: '2' } : l)));
      expect(await residences()).toEqual(residencesExactes);
      expect(await store.all(`SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'preset_%'`)).toEqual([]);
    } finally {
      rmSync(dossier, { recursive: true, force: true });
    }
  });

  // The conversion trims cells only when a space may touch a cell's edge (lecture.ts, through the byte scan’s edgeSpaces): the same
  // file with its unquoted numbers padded (« ; 13 ; ») must give exactly the same dwellings as the file without.
  it('reads cells padded with spaces exactly as the same cells without', async () => {
    await importerAvecPreset(store, [F('rpls-2023-loi.csv')], { preset: 'rpls', bailleur: 'B1' });
    const sansEspaces = await logements();
    const dossier = mkdtempSync(join(tmpdir(), 'mixite-rpls-espaces-'));
    try {
      const padded = readFileSync(F('rpls-2023-loi.csv'), 'utf8').replace(/;(\d+(?:\.\d+)?)(?=;|\n)/g, '; $1 ');
      expect(padded).toContain('; 13 ;');
      const chemin = join(dossier, 'rpls-espaces.csv');
      writeFileSync(chemin, padded);
      const s2 = await Store.open(':memory:');
      try {
        await importDataset(s2, [F('territoire')]);
        expect((await importerAvecPreset(s2, [chemin], { preset: 'rpls', bailleur: 'B1' })).statut).toBe('reussi');
        const avecEspaces = await s2.all<Ligne>(
          `SELECT id, residence_id, bailleur_id, code_insee, code_qpv, nb_pieces, surface::DOUBLE AS surface, financement, loyer::DOUBLE AS loyer,
                  annee_construction, strftime(date_mise_en_service, '%Y-%m-%d') AS date_mise_en_service, pmr, etage,
                  attributs['mode_rpls'] AS mode_rpls
           FROM logements ORDER BY id`,
        );
        expect(avecEspaces).toEqual(sansEspaces);
        // A space as the file's very last byte (its last cell, no final line end) is trimmed too.
        const fin = join(dossier, 'rpls-espace-final.csv');
        writeFileSync(fin, `${readFileSync(F('rpls-2023-loi.csv'), 'utf8').trimEnd()} `);
        expect((await importerAvecPreset(s2, [fin], { preset: 'rpls', bailleur: 'B1' })).statut).toBe('reussi');
        expect(await s2.all<Ligne>(`SELECT id, attributs['mode_rpls'] AS mode_rpls FROM logements ORDER BY id`)).toEqual(sansEspaces.map((l) => ({ id: l.id, mode_rpls: l.mode_rpls })));
      } finally {
        s2.close();
      }
    } finally {
      rmSync(dossier, { recursive: true, force: true });
    }
  });

  /** The fuller-file fixture with some cells replaced (line → header → cell), written in a temporary folder. */
  function variante(nom: string, cellules: Readonly<Record<number, Readonly<Record<string, string>>>>): { chemin: string; dossier: string } {
    const dossier = mkdtempSync(join(tmpdir(), 'mixite-rpls-variante-'));
    const lignes = readFileSync(F('rpls-2023-loi.csv'), 'utf8').split('\n');
    const entete = (lignes[0] as string).split(';');
    for (const [ligne, valeurs] of Object.entries(cellules)) {
      // The fixture has no `;` inside quotes: a line splits on `;`.
      const cells = (lignes[Number(ligne) - 1] as string).split(';');
      for (const [colonne, valeur] of Object.entries(valeurs)) cells[entete.indexOf(colonne)] = valeur;
      lignes[Number(ligne) - 1] = cells.join(';');
    }
    const chemin = join(dossier, nom);
    writeFileSync(chemin, lignes.join('\n'));
    return { chemin, dossier };
  }

  // The converted dwellings reach the import TYPED (import/relation-typee.ts): a value breaking the format's rule
  // (13 rooms: at most 12; built in 1700: from 1800) is refused with the import's own message, on the RPLS file's
  // line, its column and its text, and nothing is loaded.
  it('refuses converted values breaking the format’s rules on their RPLS line and column, and loses nothing', async () => {
    await importerAvecPreset(store, [F('rpls-2023-loi.csv')], { preset: 'rpls', bailleur: 'B1' });
    const avant = await logements();
    const { chemin, dossier } = variante('rpls-hors-bornes.csv', { 3: { NBPIECE: '13' }, 6: { CONSTRUCT: '1700' } });
    try {
      const erreur = await importerAvecPreset(store, [chemin], { preset: 'rpls', bailleur: 'B1' }).catch((e: unknown) => e);
      expect(erreur).toBeInstanceOf(ImportFailedError);
      const e = (erreur as ImportFailedError).report.erreurs;
      expect(e.map((p) => [p.fichier, p.ligne, p.colonne, p.valeur])).toEqual([
        ['rpls-hors-bornes.csv', 3, 'NBPIECE', '13'],
        ['rpls-hors-bornes.csv', 6, 'CONSTRUCT', '1700'],
      ]);
      // (French thousands are grouped with a narrow no-break space.)
      expect(e.map((p) => p.message)).toEqual(['attendu : un nombre entier entre 1 et 12', expect.stringMatching(/^attendu : un nombre entier entre 1\s800 et 2\s099$/)]);
      expect(await logements()).toEqual(avant);
    } finally {
      rmSync(dossier, { recursive: true, force: true });
    }
  });

  // A spelling the typed hand-off does not type itself (a grouped rent « 1 412,35 », a signed « +3 » rooms) is read by
  // the import's own rules, as in a canonical CSV: accepted, with its value.
  it('reads the spellings the canonical format accepts but the typed hand-off leaves as text (« 1 412,35 », « +3 »)', async () => {
    const { chemin, dossier } = variante('rpls-graphies.csv', { 2: { LOYERPRINC: '"1 412,35"', NBPIECE: '+3' } });
    try {
      expect((await importerAvecPreset(store, [chemin], { preset: 'rpls', bailleur: 'B1' })).statut).toBe('reussi');
      const [r] = await store.all<{ loyer: number; nb_pieces: number }>(`SELECT loyer::DOUBLE AS loyer, nb_pieces FROM logements WHERE surface = 65.5`);
      expect(r).toEqual({ loyer: 1412.35, nb_pieces: 3 });
      expect((await logements()).length).toBe(6);
    } finally {
      rmSync(dossier, { recursive: true, force: true });
    }
  });

  // Ids derived from addresses are distinct by construction (numbered within each address: the staging then skips
  // its key grouping), but the file's own identifiers are not: a repeated IDENT_INT is refused on its line and column.
  it('refuses an identifier the file repeats, on its RPLS line and column, and loses nothing', async () => {
    const dossier = mkdtempSync(join(tmpdir(), 'mixite-rpls-ident-'));
    try {
      const lignes = readFileSync(F('rpls-2023-loi.csv'), 'utf8').trimEnd().split('\n');
      const ids = ['IDENT_INT', 'L1', 'L2', 'L1', 'L4', 'L5', 'L6'];
      expect(lignes.length).toBe(ids.length);
      const chemin = join(dossier, 'rpls-ident.csv');
      writeFileSync(chemin, `${lignes.map((l, i) => `${ids[i]};${l}`).join('\n')}\n`);
      const erreur = await importerAvecPreset(store, [chemin], { preset: 'rpls', bailleur: 'B1' }).catch((e: unknown) => e);
      expect(erreur).toBeInstanceOf(ImportFailedError);
      expect((erreur as ImportFailedError).report.erreurs.map((p) => [p.fichier, p.ligne, p.colonne])).toEqual([['rpls-ident.csv', 4, 'IDENT_INT']]);
      expect(await logements()).toEqual([]);
    } finally {
      rmSync(dossier, { recursive: true, force: true });
    }
  });

  it('asks for the bailleur when the file has none', async () => {
    const erreur = await importerAvecPreset(store, [F('rpls-2023-loi.csv')], { preset: 'rpls' }).catch((e: unknown) => e);
    expect((erreur as ImportFailedError).report.erreurs[0]?.message).toMatch(/--bailleur ID/);
  });
});
