import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, importDataset } from '@mixite/data';
import { generateDemo } from '@mixite/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixiteApp } from '../src/app.ts';
import { createApp } from '../src/app.ts';
import type { Client } from './helpers.ts';
import { createAccounts, jsonBody, login } from './helpers.ts';

/**
 * The red-team attack of issue 10 on the cotation aggregates, played against the real server in production mode
 * over a real store file holding the demo territory (20 000 active requests): an account posts a grid whose
 * criteria single out target households and test a sensitive field (DALO, handicap, violences), and reads the
 * per-criterion counts. The red team found 6 households of 6 with any account. Here:
 * - a territory account (EPCI) still finds them — the control that the attack has teeth;
 * - the NUR, dates and free columns are refused (422, located, naming the criterion and the field);
 * - a foreign bailleur, a commune and a réservataire get answers that do not depend on the targets at all: the
 *   test changes each target's sensitive field in the store and compares the answers byte for byte;
 * - the public role can only compute the published grids at a 31 December: the targeted grid, the published grid
 *   plus one criterion (differencing) and the day-after date are refused; the published tables carry no count
 *   between 1 and the secrecy threshold, nor one whose complement is.
 * Expected counts are read with plain SQL, not through the engine.
 */

const DATE = '2024-12-31';
const SEUIL = 11;
const BAILLEUR = 'BGPS01';
const GRILLE_PUBLIEE = readFileSync(new URL('../../../grilles/rhone.yaml', import.meta.url), 'utf8');

interface Cible {
  nur: string;
  champ: 'handicap' | 'dalo' | 'motif';
  /** The quasi-identifiers an attacker knows (allowed fields of a grid). */
  quasi: Record<string, string | number>;
}

interface Distribution {
  secret_statistique: number | null;
  classes: { portee: string; note: number; demandes: number | null }[];
  resume: { portee: string; demandes: number | null }[];
  frequences: { portee: string; id: string; demandes: number | null }[];
}

/** The targeted grid: 1000 points for the target's quasi-identifiers, 1 for the sensitive field. */
function grilleCiblee(c: Cible): string {
  const si = Object.entries(c.quasi)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? `"${v}"` : v}`)
    .join(', ');
  const sensible = c.champ === 'motif' ? 'motif: violences' : `${c.champ}: true`;
  return `nom: Attaque\nversion: 1\nsimilaires: []\ncriteres:\n  - { id: cible, libelle: Cible, points: 1000, si: { ${si} } }\n  - { id: sensible, libelle: Sensible, points: 1, si: { ${sensible} } }\n`;
}

/** The rank oracle: one criterion met by the target only when it has the sensitive field; everyone is "similar". */
function grilleRang(c: Cible): string {
  const si = Object.entries(c.quasi)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? `"${v}"` : v}`)
    .join(', ');
  const sensible = c.champ === 'motif' ? 'motif: violences' : `${c.champ}: true`;
  return `nom: Rang\nversion: 1\nsimilaires: []\ncriteres:\n  - { id: cible, libelle: Cible, points: 1000, si: { ${si}, ${sensible} } }\n`;
}

describe('the cotation attack of the red team, on the real server (production, store file, demo territory)', () => {
  let dir: string;
  let store: Store;
  let mixite: MixiteApp;
  const clients = new Map<string, Client>();
  const cibles: Cible[] = [];
  let tenant = '';
  let commune = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-attaque-cotation-'));
    await generateDemo({ out: join(dir, 'jeu'), echelle: 'epci', graine: 1 });
    store = await Store.open(join(dir, 'mixite.duckdb'));
    await importDataset(store, [join(dir, 'jeu')], { auteur: 'test' });
    // The commune account: the commune the fewest active requests wish first (none of the targets, checked below).
    [{ c: commune }] = (await store.all<{ c: string }>(
      `SELECT split_part(communes_souhaitees, '|', 1) AS c FROM demandes GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`,
    )) as [{ c: string }];
    await createAccounts(store, [
      { email: 'epci@attaque.test', role: 'epci' },
      { email: 'lecteur@attaque.test', role: 'lecteur' },
      { email: 'bailleur@attaque.test', role: 'bailleur', perimetre: BAILLEUR },
      { email: 'commune@attaque.test', role: 'commune', perimetre: commune },
      { email: 'reservataire@attaque.test', role: 'reservataire', perimetre: 'ETAT' },
    ]);
    mixite = createApp(store, { webDist: null, securite: { mode: 'production' } });
    for (const email of ['epci', 'lecteur', 'bailleur', 'commune', 'reservataire']) clients.set(email, await login(mixite.app, `${email}@attaque.test`));

    // Six targets, two per sensitive field, active at the date, outside the bailleur's and the commune's perimeters,
    // each alone among the active requests with its quasi-identifiers (what makes the attack work on exact counts).
    const actives = `date_depot <= DATE '${DATE}' AND (date_radiation IS NULL OR date_radiation > DATE '${DATE}')`;
    for (const [champ, condition] of [
      ['handicap', 'handicap'],
      ['dalo', 'dalo'],
      ['motif', `motif = 'violences'`],
    ] as const) {
      const rows = await store.all<{ nur: string; commune_1: string; typologie_min: number; nb_personnes: number; composition: string; code_insee_residence: string; nb_moins_14_ans: number; logement_actuel: string }>(
        `WITH a AS (
           SELECT *, split_part(communes_souhaitees, '|', 1) AS commune_1,
             count(*) OVER (PARTITION BY split_part(communes_souhaitees, '|', 1), typologie_min, nb_personnes, composition, code_insee_residence, nb_moins_14_ans, logement_actuel) AS n
           FROM demandes WHERE ${actives})
         SELECT nur, commune_1, typologie_min, nb_personnes, composition, code_insee_residence, nb_moins_14_ans, logement_actuel FROM a
         WHERE n = 1 AND ${condition} AND coalesce(bailleur_actuel_id, '') <> '${BAILLEUR}' AND NOT list_contains(string_split(communes_souhaitees, '|'), '${commune}')
           AND typologie_min IS NOT NULL AND composition IS NOT NULL AND code_insee_residence IS NOT NULL AND nb_moins_14_ans IS NOT NULL AND logement_actuel IS NOT NULL AND commune_1 <> ''
         ORDER BY nur LIMIT 2`,
      );
      for (const r of rows) {
        const { nur, ...quasi } = r;
        cibles.push({ nur, champ, quasi: Object.fromEntries(Object.entries(quasi).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as Record<string, string | number> });
      }
    }
    // A tenant of the bailleur, for the rank of the note of one request.
    [{ nur: tenant }] = (await store.all<{ nur: string }>(`SELECT nur FROM demandes WHERE bailleur_actuel_id = '${BAILLEUR}' AND ${actives} ORDER BY nur LIMIT 1`)) as [{ nur: string }];
  }, 240_000);

  afterAll(() => {
    mixite?.close();
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const client = (nom: string) => clients.get(nom) as Client;
  const post = (nom: string, route: string, body: unknown) => client(nom).request(`/api/cotation/${route}`, jsonBody('POST', body));
  const texte = async (nom: string, route: string, body: unknown) => {
    const r = await post(nom, route, body);
    return `${r.status} ${await r.text()}`;
  };

  /** Flips the target's sensitive field in the store (and back by calling it again). */
  const basculer = (c: Cible) =>
    store.run(
      c.champ === 'motif'
        ? `UPDATE demandes SET motif = CASE WHEN motif = 'violences' THEN 'autre' ELSE 'violences' END WHERE nur = '${c.nur}'`
        : `UPDATE demandes SET ${c.champ} = NOT ${c.champ} WHERE nur = '${c.nur}'`,
    );

  it('has six targets, each alone with its quasi-identifiers', () => {
    expect(cibles).toHaveLength(6);
    expect(commune).toMatch(/^\d{5}$/);
  });

  it('control: with exact counts over the territory (EPCI), the targeted grid finds 6 households of 6', async () => {
    let trouves = 0;
    for (const c of cibles) {
      const d = (await (await post('epci', 'distribution', { grille: grilleCiblee(c), date: DATE })).json()) as Distribution;
      // Note 1001: the target meets the sensitive criterion; 1000: it does not. The store says it does.
      if (d.classes.some((k) => k.note === 1001 && k.demandes === 1) && !d.classes.some((k) => k.note === 1000)) trouves++;
    }
    expect(trouves).toBe(6);
  });

  it('refuses the red-team grid (NUR and sensitive field) to every account, naming the criterion and the field', async () => {
    const c = cibles[0] as Cible;
    const grille = `nom: Attaque\nversion: 1\ncriteres:\n  - { id: cible, libelle: Cible, points: 1, si: { nur: "${c.nur}", dalo: true } }\n`;
    for (const nom of ['lecteur', 'bailleur', 'commune', 'reservataire', 'epci']) {
      for (const [route, body] of [
        ['distribution', { grille, fichier: 'attaque.yaml' }],
        ['impact', { grille_a: GRILLE_PUBLIEE, grille_b: grille, fichier_b: 'attaque.yaml' }],
      ] as const) {
        const r = await post(nom, route, body);
        expect([nom, route, r.status]).toEqual([nom, route, 422]);
        const { details } = (await r.json()) as { details: { fichier: string; ligne: number; chemin: string; message: string }[] };
        expect(details).toHaveLength(1);
        expect(details[0]).toMatchObject({ fichier: 'attaque.yaml', ligne: 4, chemin: 'criteres[0].si.nur' });
        expect(details[0]?.message).toContain('critère « cible »');
        expect(details[0]?.message).toContain('« nur »');
      }
    }
  });

  it('a foreign bailleur, a commune and a réservataire get answers that do not depend on the targets', async () => {
    for (const c of cibles) {
      const grille = grilleCiblee(c);
      const corps = {
        distribution: { grille, date: DATE },
        impact: { grille_a: GRILLE_PUBLIEE, grille_b: grille, date: DATE },
        // The rank of the bailleur's own tenant among "similar" requests (an empty key: every request) counts the
        // requests with a better note: the target's, when it has the sensitive field.
        demande: { grille: grilleRang(c), nur: tenant, date: DATE },
      };
      const avant: Record<string, string> = {};
      for (const nom of ['bailleur', 'commune', 'reservataire']) for (const [route, body] of Object.entries(corps)) avant[`${nom} ${route}`] = await texte(nom, route, body);
      expect(avant['bailleur demande']?.startsWith('200 ')).toBe(true);
      const epciAvant = await texte('epci', 'distribution', corps.distribution);
      const epciRangAvant = await texte('epci', 'demande', corps.demande);
      await basculer(c);
      try {
        for (const nom of ['bailleur', 'commune', 'reservataire']) {
          for (const [route, body] of Object.entries(corps)) expect([c.nur, nom, route, await texte(nom, route, body)]).toEqual([c.nur, nom, route, avant[`${nom} ${route}`]]);
        }
        // The same flip is visible to the territory role: the comparison above would have caught a leak.
        expect(await texte('epci', 'distribution', corps.distribution)).not.toEqual(epciAvant);
        expect(await texte('epci', 'demande', corps.demande)).not.toEqual(epciRangAvant);
      } finally {
        await basculer(c);
      }
    }
    // The bailleur's answers are about its own tenants: the total is theirs, counted in SQL.
    const d = (await (await post('bailleur', 'distribution', { grille: GRILLE_PUBLIEE, date: DATE })).json()) as Distribution;
    const attendu = await store.all<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM demandes WHERE bailleur_actuel_id = '${BAILLEUR}' AND date_depot <= DATE '${DATE}' AND (date_radiation IS NULL OR date_radiation > DATE '${DATE}')`,
    );
    expect(d.resume.reduce((s, r) => s + (r.demandes ?? 0), 0)).toBe(attendu[0]?.n);
    expect(d.secret_statistique).toBeNull();
  });

  it('the note of one request stays household-level: 403 to the public role, the same 404 for a foreign request as for none', async () => {
    const c = cibles[0] as Cible;
    const grille = grilleCiblee(c);
    expect((await post('lecteur', 'demande', { grille, nur: c.nur })).status).toBe(403);
    const etranger = await post('bailleur', 'demande', { grille, nur: c.nur, date: DATE });
    const inconnu = await post('bailleur', 'demande', { grille, nur: 'INCONNU-0000', date: DATE });
    expect([etranger.status, inconnu.status]).toEqual([404, 404]);
    const corps = (r: Response, nur: string) => r.text().then((t) => t.replace(nur, 'NUR'));
    expect(await corps(etranger, c.nur)).toBe(await corps(inconnu, 'INCONNU-0000'));
  });

  it('the public role cannot run the attack: targeted grid, differencing with one more criterion and day-to-day differences are refused', async () => {
    for (const c of cibles) {
      const r = await post('lecteur', 'distribution', { grille: grilleCiblee(c), date: DATE });
      expect(r.status).toBe(403);
      expect(((await r.json()) as { erreur: string }).erreur).toBe('grille_non_publiee');
    }
    // Grid A (published) vs grid A plus one criterion met by one household.
    const c = cibles[0] as Cible;
    const plus = `${GRILLE_PUBLIEE.replace('mutation:\n  criteres:\n', `mutation:\n  criteres:\n    - { id: rare, libelle: Rare, points: 1000, si: { commune_1: "${c.quasi.commune_1}", nb_personnes: ${c.quasi.nb_personnes} } }\n`)}`;
    expect(plus).not.toBe(GRILLE_PUBLIEE);
    expect((await post('lecteur', 'distribution', { grille: plus, date: DATE })).status).toBe(403);
    expect((await post('lecteur', 'impact', { grille_a: GRILLE_PUBLIEE, grille_b: plus, date: DATE })).status).toBe(403);
    // The same published grid the day before: a day's newcomers would show as a difference.
    expect((await post('lecteur', 'distribution', { grille: GRILLE_PUBLIEE, date: '2024-12-30' })).status).toBe(400);
  });

  it('other routes taking parameters: the indicator tables of two years give no masked semester back (12 months to 30 June = S2 + S1)', async () => {
    type Ligne = { indicateur: string; perimetre_type: string; perimetre_id: string; periode: string; numerateur: number | null; denominateur: number | null; secret: string | null };
    const lignes = async (annee: number) => ((await (await client('lecteur').request(`/api/indicateurs?annee=${annee}`)).json()) as { lignes: Ligne[] }).lignes;
    const [l23, l24] = [await lignes(2023), await lignes(2024)];
    const cle = (l: Ligne) => `${l.indicateur}|${l.perimetre_type}|${l.perimetre_id}`;
    const index = (ls: Ligne[], periode: string) => new Map(ls.filter((l) => l.periode === periode).map((l) => [cle(l), l]));
    const [s1, s2, fenetre] = [index(l24, '2024-S1'), index(l23, '2023-S2'), index(l24, '12m-2024-06-30')];
    let primaires = 0;
    const retrouvees: string[] = [];
    for (const v of ['numerateur', 'denominateur'] as const) {
      for (const [semestre, autre] of [
        [s1, s2],
        [s2, s1],
      ] as const) {
        for (const [k, l] of semestre) {
          if (l.secret !== 'primaire' || l[v] !== null) continue;
          primaires++;
          const f = fenetre.get(k)?.[v];
          const o = autre.get(k)?.[v];
          if (f !== null && f !== undefined && o !== null && o !== undefined) retrouvees.push(`${k} ${l.periode} ${v} = ${f - o}`);
        }
      }
    }
    expect(primaires).toBeGreaterThan(0);
    expect(retrouvees).toEqual([]);
  });

  it('the public role reads the published grids with statistical secrecy: no count between 1 and the threshold, nor its complement', async () => {
    const d = (await (await post('lecteur', 'distribution', { grille: GRILLE_PUBLIEE })).json()) as Distribution & { date: string };
    // Without a date: the last 31 December of the data.
    expect(d.date).toBe(DATE);
    expect(d.secret_statistique).toBe(SEUIL);
    const totaux = await store.all<{ p: string; n: number; dalo: number }>(
      `SELECT CASE WHEN coalesce(mutation, FALSE) THEN 'mutation' ELSE 'premier_acces' END AS p, count(*)::INTEGER AS n, (count(*) FILTER (WHERE dalo))::INTEGER AS dalo
       FROM demandes WHERE date_depot <= DATE '${DATE}' AND (date_radiation IS NULL OR date_radiation > DATE '${DATE}') GROUP BY 1 ORDER BY 1`,
    );
    expect(d.resume.map((r) => [r.portee, r.demandes])).toEqual(totaux.map((t) => [t.p, t.n]));
    let masques = 0;
    for (const r of d.resume) {
      const total = r.demandes as number;
      for (const v of [...d.classes, ...d.frequences].filter((k) => k.portee === r.portee).map((k) => k.demandes)) {
        if (v === null) masques++;
        else expect(v === 0 || (v >= SEUIL && (total - v === 0 || total - v >= SEUIL))).toBe(true);
      }
      // The DALO criterion counts whenever it holds: its frequency is the number of DALO requests, when published.
      const dalo = d.frequences.find((f) => f.portee === r.portee && f.id === 'dalo')?.demandes;
      if (dalo !== null && dalo !== undefined) expect(dalo).toBe(totaux.find((t) => t.p === r.portee)?.dalo);
    }
    expect(masques).toBeGreaterThan(0);
    // The impact: every published count of every profile, likewise.
    const i = (await (await post('lecteur', 'impact', { grille_a: GRILLE_PUBLIEE, grille_b: GRILLE_PUBLIEE })).json()) as {
      a: { lignes: { retenues: { effectif: number | null; nombres: Record<string, number | null> }; demande: { effectif: number | null; nombres: Record<string, number | null> } }[] };
    };
    for (const l of i.a.lignes) {
      for (const p of [l.retenues, l.demande]) {
        for (const v of Object.values(p.nombres)) {
          if (v !== null) expect(v === 0 || (v >= SEUIL && p.effectif !== null && (p.effectif - v === 0 || p.effectif - v >= SEUIL))).toBe(true);
        }
      }
    }
  });
});
