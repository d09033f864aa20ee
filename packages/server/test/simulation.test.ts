import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { travailSimulationSchema } from '@mixite/contract';
import type { TravailSimulation } from '@mixite/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from './helpers.ts';
import { jsonBody, login, openProductionApp, scalar } from './helpers.ts';

/**
 * The simulation API (issue 16) on the real server in production mode, over the mini territory
 * (packages/data/test/fixtures/mini). Its attributions.csv holds three proposals of 2024 on two (dwelling, CALEOL
 * date) pairs — L1 on 2024-02-20 and L3 on 2024-05-02 — so a simulation of 2025 is calibrated on 2024 alone and
 * frees 2 dwellings a year: in every run, leases + dwellings left vacant = 2 (the mean of each is between 0 and 2,
 * their sum exactly 2).
 */

const PRATIQUE = { livree: 'pratique-observee.yaml' };

async function attendreFin(client: Client, id: string): Promise<TravailSimulation> {
  for (let i = 0; i < 600; i++) {
    const r = await client.request(`/api/simulations/${id}`);
    expect(r.status).toBe(200);
    const t = travailSimulationSchema.parse(await r.json());
    if (t.etat !== 'en_attente' && t.etat !== 'en_cours') return t;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('simulation pas terminée en 60 s');
}

/** The text of a PDF as pdftotext reads it, spaces normalised (the bilan writes narrow no-break spaces). */
function textePdf(pdf: ArrayBuffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'mixite-sim-bilan-'));
  try {
    writeFileSync(join(dir, 'b.pdf'), new Uint8Array(pdf));
    return execFileSync('/usr/bin/pdftotext', [join(dir, 'b.pdf'), '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the simulation API', () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  /** The EPCI's finished two-policy simulation of 2025 (test « runs a simulation in the background »). */
  let simulationEpci: TravailSimulation | null = null;
  beforeAll(async () => {
    t = await openProductionApp();
    for (const who of ['admin', 'epci', 'etat', 'b1', 'al', 'evry', 'lecteur']) c[who] = await login(t.mixite.app, `${who}@mixite.test`);
  }, 120_000);
  afterAll(() => t?.close());

  it('lists the shipped policies to every partner, not to the public reader', async () => {
    const r = await (c['b1'] as Client).request('/api/simulation/politiques');
    expect(r.status).toBe(200);
    const { politiques } = (await r.json()) as { politiques: { fichier: string; nom: string }[] };
    expect(politiques.map((p) => p.fichier)).toEqual(['pratique-observee.yaml', 'un-q1-par-liste.yaml']);
    expect(politiques[1]?.nom).toBe('Un candidat Q1 par liste hors QPV');
    expect((await (c['lecteur'] as Client).request('/api/simulation/politiques')).status).toBe(403);
  });

  it('checks an edited policy and locates its problems', async () => {
    const texte = 'nom: Essai\nordre: anciennete\nregles:\n  un_q1_par_liste: 1\n  quotas_prioritaires:\n    etat_prioritaires: -0.5\n';
    const r = await (c['epci'] as Client).request('/api/simulation/verifier', jsonBody('POST', { contenu: texte, fichier: 'essai.yaml' }));
    expect(r.status).toBe(200);
    const v = (await r.json()) as { ok: boolean; problemes: { ligne: number | null; chemin: string; message: string }[] };
    expect(v.ok).toBe(false);
    // Line 4: the unknown rule; line 6: the negative quota.
    expect(v.problemes.map((p) => [p.ligne, p.chemin])).toEqual([
      [4, 'regles.un_q1_par_liste'],
      [6, 'regles.quotas_prioritaires.etat_prioritaires'],
    ]);
    expect(v.problemes[0]?.message).toMatch(/règle inconnue « un_q1_par_liste »/);
    expect(v.problemes[1]?.message).toMatch(/négatif/);
    const grille = await (c['epci'] as Client).request('/api/simulation/verifier', jsonBody('POST', { contenu: 'nom: G\nordre: cotation\ngrille: /etc/passwd\n' }));
    const g = (await grille.json()) as { ok: boolean; problemes: { ligne: number | null; message: string }[] };
    expect([g.ok, g.problemes[0]?.ligne]).toEqual([false, 3]);
    expect(g.problemes[0]?.message).toMatch(/grilles livrées \(.*equilibre-cia\.yaml/);
  });

  it('refuses to run a simulation to the scoped partners and the public reader', async () => {
    for (const who of ['b1', 'al', 'evry', 'lecteur']) {
      const r = await (c[who] as Client).request('/api/simulations', jsonBody('POST', { annee: 2025, politiques: [PRATIQUE], tirages: 2 }));
      expect([who, r.status]).toEqual([who, 403]);
    }
  });

  it('refuses bad requests with French messages, before anything runs', async () => {
    const epci = c['epci'] as Client;
    const zero = await epci.request('/api/simulations', jsonBody('POST', { annee: 2025, politiques: [PRATIQUE], tirages: 0 }));
    expect(zero.status).toBe(422);
    expect(JSON.stringify(await zero.json())).toMatch(/au moins un tirage/);
    const trop = await epci.request('/api/simulations', jsonBody('POST', { annee: 2025, politiques: [PRATIQUE], tirages: 501 }));
    expect(trop.status).toBe(422);
    const inconnue = await epci.request('/api/simulations', jsonBody('POST', { annee: 2025, politiques: [{ livree: 'laxiste.yaml' }] }));
    expect(inconnue.status).toBe(422);
    expect(((await inconnue.json()) as { message: string }).message).toBe('politique A inconnue : « laxiste.yaml »');
    const fausse = await epci.request('/api/simulations', jsonBody('POST', { annee: 2025, politiques: [{ contenu: 'nom: X\nordre: au_hasard\n', fichier: 'x.yaml' }] }));
    expect(fausse.status).toBe(422);
    const f = (await fausse.json()) as { message: string; details: { ligne: number; chemin: string }[] };
    expect(f.message).toMatch(/politique A « x\.yaml » invalide/);
    expect(f.details.map((d) => [d.ligne, d.chemin])).toEqual([[2, 'ordre']]);
  });

  it('runs a simulation in the background, shows its result to its owner only, and writes it to the audit log', async () => {
    const epci = c['epci'] as Client;
    const avant = Number(await scalar<bigint>(t.store, "SELECT count(*) AS v FROM journal WHERE action = 'simulation'"));
    const r = await epci.request('/api/simulations', jsonBody('POST', { annee: 2025, politiques: [PRATIQUE, { livree: 'un-q1-par-liste.yaml' }], tirages: 4, graine: 7 }));
    expect(r.status, await r.clone().text()).toBe(202);
    const lance = travailSimulationSchema.parse(await r.json());
    expect(r.headers.get('location')).toBe(`/api/simulations/${lance.id}`);
    expect(lance.total).toBe(8); // 4 runs × 2 policies
    // Another account does not see it (404, as an unknown id).
    expect((await (c['etat'] as Client).request(`/api/simulations/${lance.id}`)).status).toBe(404);
    const fin = await attendreFin(epci, lance.id);
    expect([fin.etat, fin.message, fin.faits, fin.total]).toEqual(['pret', null, 8, 8]);
    simulationEpci = fin;
    const res = fin.resultat!;
    expect([res.annee, res.annees_calibration, res.tirages, res.graine]).toEqual([2025, [2024], 4, 7]);
    expect(res.politiques).toEqual([
      { id: 'pratique-observee', nom: 'Pratique observée' },
      { id: 'un-q1-par-liste', nom: 'Un candidat Q1 par liste hors QPV' },
    ]);
    const moyenne = (politique: string, indicateur: string) => res.lignes.find((l) => l.politique === politique && l.indicateur === indicateur && l.perimetre_type === 'territoire')?.moyenne;
    for (const p of ['pratique-observee', 'un-q1-par-liste']) expect(p + ' ' + ((moyenne(p, 'baux') ?? NaN) + (moyenne(p, 'vacances_non_pourvues') ?? NaN))).toBe(`${p} 2`);
    // The difference lines (B − A) are there; counts carry no CIA target.
    expect(res.lignes.some((l) => l.politique === 'difference')).toBe(true);
    expect(res.lignes.filter((l) => l.indicateur === 'baux').every((l) => l.cible === null)).toBe(true);
    expect(Number(await scalar<bigint>(t.store, "SELECT count(*) AS v FROM journal WHERE action = 'simulation'"))).toBe(avant + 1);
    const details = await scalar<string>(t.store, "SELECT CAST(details AS VARCHAR) AS v FROM journal WHERE action = 'simulation' ORDER BY id DESC LIMIT 1");
    expect(JSON.parse(details)).toEqual({ annee: 2025, politiques: ['pratique-observee', 'un-q1-par-liste'], tirages: 4, graine: 7 });
  }, 120_000);

  it('adds the finished simulation to the bilan as its annex, for its owner only', async () => {
    const epci = c['epci'] as Client;
    const fin = simulationEpci;
    expect(fin?.etat).toBe('pret');
    const avec = await epci.request(`/api/bilan/2024/pdf?edition=partenaires&simulation=${fin!.id}`);
    expect(avec.status, await avec.clone().text()).toBe(200);
    expect(avec.headers.get('content-disposition')).toBe('attachment; filename="bilan-2024-partenaires-avec-simulation.pdf"');
    const texte = textePdf(await avec.arrayBuffer());
    expect(texte).toContain('Simulation des politiques d’attribution');
    // Both policies of the run, named as the API names them, for the simulated year; then B − A.
    expect(texte).toContain('Politique « Pratique observée » : objectifs simulés en 2025');
    expect(texte).toContain('Politique « Un candidat Q1 par liste hors QPV » : objectifs simulés en 2025');
    expect(texte).toContain('« Un candidat Q1 par liste hors QPV » comparée à « Pratique observée »');
    expect(texte).toContain('L’année 2025 a été simulée 4 fois (graine 7)');
    // The kept bilan, without the parameter, has no annex.
    const sans = await epci.request('/api/bilan/2024/pdf?edition=partenaires');
    expect(sans.status).toBe(200);
    expect(textePdf(await sans.arrayBuffer())).not.toContain('Simulation des politiques d’attribution');
    // Another account naming this job gets 404, as for an unknown one; a malformed id is a 400 in French.
    expect((await (c['etat'] as Client).request(`/api/bilan/2024/pdf?simulation=${fin!.id}`)).status).toBe(404);
    const mal = await epci.request('/api/bilan/2024/pdf?simulation=abc');
    expect(mal.status).toBe(400);
    expect(JSON.stringify(await mal.json())).toMatch(/simulation inconnue/);
  }, 120_000);

  it('runs one job per account at a time, and cancels it', async () => {
    const admin = c['admin'] as Client;
    const r = await admin.request('/api/simulations', jsonBody('POST', { annee: 2025, politiques: [PRATIQUE], tirages: 500 }));
    expect(r.status).toBe(202);
    const { id } = travailSimulationSchema.parse(await r.json());
    const second = await admin.request('/api/simulations', jsonBody('POST', { annee: 2025, politiques: [PRATIQUE], tirages: 2 }));
    expect(second.status).toBe(409);
    expect(((await second.json()) as { message: string }).message).toMatch(/déjà en cours/);
    const annule = await admin.request(`/api/simulations/${id}`, { method: 'DELETE' });
    expect(annule.status).toBe(200);
    const fin = await attendreFin(admin, id);
    expect(fin.etat).toBe('annule');
    expect(fin.resultat).toBeNull();
    // A cancelled simulation has no result to annex to the bilan: 409 with the reason.
    const bilan = await admin.request(`/api/bilan/2024/pdf?simulation=${id}`);
    expect(bilan.status).toBe(409);
    expect(((await bilan.json()) as { message: string }).message).toMatch(/la simulation n’est pas terminée \(état : annule\)/);
    // Once cancelled, the account may start another one.
    const apres = await admin.request('/api/simulations', jsonBody('POST', { annee: 2025, politiques: [PRATIQUE], tirages: 2 }));
    expect(apres.status).toBe(202);
    expect((await attendreFin(admin, travailSimulationSchema.parse(await apres.json()).id)).etat).toBe('pret');
  }, 120_000);

  it('fails with the calibration’s French message when no year before has allocations', async () => {
    const etat = c['etat'] as Client;
    const r = await etat.request('/api/simulations', jsonBody('POST', { annee: 2020, politiques: [PRATIQUE], tirages: 2 }));
    expect(r.status).toBe(202);
    const fin = await attendreFin(etat, travailSimulationSchema.parse(await r.json()).id);
    expect(fin.etat).toBe('echec');
    expect(fin.message).toMatch(/simulation de 2020 impossible : aucune attribution avant 2020/);
  }, 120_000);
});
