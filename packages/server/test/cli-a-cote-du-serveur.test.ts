import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store, cheminDecouverte } from '@mixite/data';
import type { DecouverteServeur } from '@mixite/data';
import { generateDemo } from '@mixite/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Decision 0007, with real processes: `mixite demarrer` on a store file (as `npm start` runs it, without the front
 * end), and the real `mixite` binary beside it on the same store — each command runs through the server, the web
 * readers keep answering during an import, and once the server stops the commands open the store themselves.
 */
const BIN = fileURLToPath(new URL('../../cli/bin/mixite.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

interface Sortie {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let dir: string;
let base: string;
let serveur: ChildProcess | null = null;
let url: string;

function env(): NodeJS.ProcessEnv {
  const { MIXITE_CLE_JOURNAL: _cle, MIXITE_MODE: _mode, ...reste } = process.env;
  return { ...reste, MIXITE_BASE: base, MIXITE_PROGRESS: '0' };
}

/** The real binary, run in the test's folder (relative paths are the operator's). */
function mixite(args: string[], input = ''): Promise<Sortie> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const sansTrace = (s: Sortie) => expect(`${s.stdout}${s.stderr}`).not.toMatch(/\n\s+at |Error: IO Error|Conflicting lock/);

function demarrer(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'demarrer'], { cwd: dir, env: { ...env(), PORT: '0', MIXITE_API_SEULE: '1' } });
    serveur = child;
    let log = '';
    const lire = (d: Buffer) => {
      log += d.toString();
      const adresse = /Mixité est prêt : ouvrez (http:\/\/\S+\/)/.exec(log)?.[1];
      if (adresse) resolve(adresse);
    };
    child.stdout.on('data', lire);
    child.stderr.on('data', lire);
    child.on('exit', (code) => reject(new Error(`le serveur s’est arrêté (code ${code}) : ${log}`)));
  });
}

async function arreter(): Promise<void> {
  const child = serveur;
  if (!child || child.exitCode !== null) return;
  const fin = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await fin;
  serveur = null;
}

/** The dashboard's call of the application (demonstration mode: no login). */
async function tableauDeBord(): Promise<string> {
  const res = await fetch(`${url}api/indicateurs?annee=2024`);
  if (res.status !== 200) throw new Error(`HTTP ${res.status} : ${await res.text()}`);
  return res.text();
}

/** The territory's 2024 row of the legal target outside QPV, read from a dashboard answer. */
function horsQpvTerritoire(texte: string): { numerateur: number; denominateur: number } {
  const lignes = (JSON.parse(texte) as { lignes: Array<Record<string, unknown>> }).lignes;
  const ligne = lignes.find((l) => l['indicateur'] === 'hors_qpv_q1' && l['perimetre_type'] === 'territoire' && l['periode'] === '2024');
  if (!ligne) throw new Error('ligne hors_qpv_q1 territoire 2024 absente');
  return { numerateur: Number(ligne['numerateur']), denominateur: Number(ligne['denominateur']) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mixite-base-partagee-'));
  base = join(dir, 'base.duckdb');
  // The same territory the server imports into an empty store at its first start (EPCI scale, seed 1).
  await generateDemo({ out: join(dir, 'territoire'), echelle: 'epci', graine: 1 });
  url = await demarrer();
}, 180_000);

afterAll(async () => {
  await arreter();
  rmSync(dir, { recursive: true, force: true });
});

describe('the command line beside a running server (decision 0007)', () => {
  let indicateursViaServeur = '';

  it('publishes a discovery file only its user can read; the internal channel refuses without the right token', async () => {
    const chemin = cheminDecouverte(base);
    expect(statSync(chemin).mode & 0o777).toBe(0o600);
    const decouverte = JSON.parse(readFileSync(chemin, 'utf8')) as DecouverteServeur;
    expect(decouverte.pid).toBe(serveur?.pid);
    const interne = `http://127.0.0.1:${decouverte.port}/interne/commandes`;
    const corps = JSON.stringify({ commande: 'utilisateur', arguments: ['liste'], entree: null, operateur: 'test' });
    expect((await fetch(interne, { method: 'POST', body: corps })).status).toBe(401);
    expect((await fetch(interne, { method: 'POST', body: corps, headers: { authorization: 'Bearer faux' } })).status).toBe(401);
    expect((await fetch(interne, { method: 'POST', body: corps, headers: { authorization: `Bearer ${decouverte.jeton}x` } })).status).toBe(401);
    // With the token, a malformed request is refused by its schema (the token was accepted).
    expect((await fetch(interne, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${decouverte.jeton}` } })).status).toBe(400);
    // The public port does not serve it, token or not.
    expect((await fetch(`${url}interne/commandes`, { method: 'POST', body: corps, headers: { authorization: `Bearer ${decouverte.jeton}` } })).status).toBe(404);
  });

  it('imports from the command line while the dashboard keeps answering the old figures until the commit, then the new', async () => {
    // The new attributions: every CAL (dwelling, date) with a proposal or a lease dated 2024 is removed, so that no
    // lease is signed in 2024 — the 2024 denominator of every target becomes 0 (by construction, not by the code).
    const source = readFileSync(join(dir, 'territoire', 'attributions.csv'), 'utf8').split('\n');
    const entete = (source[0] as string).split(';');
    const [logement, dateCal, dateBail] = ['logement_id', 'date_cal', 'date_bail'].map((c) => entete.indexOf(c)) as [number, number, number];
    const lignes = source.slice(1).filter((l) => l !== '');
    const cal = (c: string[]) => `${c[logement]}|${c[dateCal]}`;
    const retires = new Set(lignes.map((l) => l.split(';')).filter((c) => c[dateCal]?.startsWith('2024') || c[dateBail]?.startsWith('2024')).map(cal));
    const gardees = lignes.filter((l) => !retires.has(cal(l.split(';'))));
    expect(gardees.length).toBeLessThan(lignes.length);
    writeFileSync(join(dir, 'attributions.csv'), `${[source[0], ...gardees].join('\n')}\n`);

    const avant = await tableauDeBord();
    expect(horsQpvTerritoire(avant).denominateur).toBeGreaterThan(0);
    const lus: string[] = [];
    let fini = false;
    const lecteur = (async () => {
      while (!fini) {
        lus.push(await tableauDeBord()); // an error fails the test: a reader never gets one
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const sortie = await mixite(['import', 'attributions.csv']);
    fini = true;
    await lecteur;
    expect(sortie.stderr).toMatch(/Import réussi/);
    expect(sortie.code).toBe(0);
    const apres = await tableauDeBord();
    expect(horsQpvTerritoire(apres)).toEqual({ numerateur: 0, denominateur: 0 });
    // Every answer is the old one or the new one, the old ones first: never half an import.
    const etats = lus.map((l) => (l === avant ? 'ancien' : l === apres ? 'nouveau' : 'autre'));
    expect(etats).not.toContain('autre');
    expect(etats.join(',')).toMatch(/^(ancien,)*ancien(,nouveau)*$|^(ancien,)*(nouveau,)*nouveau$/);
    // The readers were answered while the import ran, not held until it ended.
    expect(etats.filter((e) => e === 'ancien').length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('stops a command interrupted at the command line (Ctrl+C): the import rolls back, the server goes on', async () => {
    const avant = await tableauDeBord();
    const child = spawn(process.execPath, [BIN, 'import', 'territoire'], { cwd: dir, env: env() });
    // Interrupted as soon as the server reports the first step: the whole territory is far from loaded.
    await new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => /Lecture/.test(d.toString()) && resolve()));
    const fin = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await fin;
    expect(serveur?.exitCode).toBeNull();
    expect(await tableauDeBord()).toBe(avant);
  }, 120_000);

  it('runs indicateurs, cotation and account management through the server', async () => {
    const indicateurs = await mixite(['indicateurs', '--annee', '2024', '--out', 'sorties/indicateurs.csv']);
    sansTrace(indicateurs);
    expect(indicateurs.code).toBe(0);
    // Written where the command line asked, relative to its own folder.
    indicateursViaServeur = readFileSync(join(dir, 'sorties', 'indicateurs.csv'), 'utf8');
    expect(indicateursViaServeur).toMatch(/^indicateur,perimetre_type,perimetre_id,periode,/);
    expect(indicateursViaServeur).toMatch(/\nhors_qpv_q1,territoire,territoire,2024,0,0,/);

    const cotation = await mixite(['cotation', '--grille', join(REPO, 'grilles', 'equilibre-cia.yaml'), '--date', '2024-12-31']);
    sansTrace(cotation);
    expect(cotation.code).toBe(0);
    // Streamed back on standard output: the header and one line per active request.
    expect(cotation.stdout.split('\n')[0]).toBe('nur;note;rang;nb_similaires;delai_moyen_jours;criteres');
    expect(cotation.stdout.split('\n').length).toBeGreaterThan(100);

    const ajout = await mixite(['utilisateur', 'ajouter', '--email', 'agent@epci.fr', '--role', 'epci', '--mot-de-passe-stdin'], 'un-mot-de-passe-assez-long\n');
    sansTrace(ajout);
    expect(ajout.code).toBe(0);
    const liste = await mixite(['utilisateur', 'liste']);
    expect(liste.code).toBe(0);
    expect(liste.stdout).toMatch(/agent@epci\.fr/);
  }, 120_000);

  it('produces the bilan through the server', async () => {
    const bilan = await mixite(['bilan', '--annee', '2023', '--out', 'bilan']);
    sansTrace(bilan);
    expect(bilan.code).toBe(0);
    for (const f of ['bilan-2023-public.docx', 'bilan-2023-public.pdf', 'bilan-2023-public.xlsx']) expect(statSync(join(dir, 'bilan', f)).size).toBeGreaterThan(1000);
  }, 240_000);

  it('after the server stops, the commands open the store themselves, and a stale discovery file is ignored', async () => {
    await arreter();
    expect(existsSync(cheminDecouverte(base))).toBe(false);
    const direct = await mixite(['indicateurs', '--annee', '2024', '--out', 'sorties/direct.csv']);
    expect(direct.code).toBe(0);
    // The same figures, computed by the command in its own process.
    expect(readFileSync(join(dir, 'sorties', 'direct.csv'), 'utf8')).toBe(indicateursViaServeur);

    // A server killed (-9) leaves its file: its process is gone (a child that has exited), the file is ignored.
    const mort = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => mort.once('exit', r));
    const perime = (pid: number) => writeFileSync(cheminDecouverte(base), JSON.stringify({ version: 1, pid, port: 9, jeton: 'x', base }), { mode: 0o600 });
    perime(mort.pid as number);
    const apresCrash = await mixite(['utilisateur', 'liste']);
    expect(apresCrash.code).toBe(0);
    expect(apresCrash.stdout).toMatch(/agent@epci\.fr/);
    // A live process that answers nothing on that port (a reused process number): the command opens the store itself.
    perime(process.pid);
    const sansReponse = await mixite(['utilisateur', 'liste']);
    expect(sansReponse.code).toBe(0);
    expect(sansReponse.stdout).toMatch(/agent@epci\.fr/);
    rmSync(cheminDecouverte(base));

    // Each command run for the command line is in the audit log under its operator.
    const store = await Store.open(base);
    try {
      const entrees = await store.all<{ utilisateur: string; action: string; objet: string }>(`SELECT utilisateur, action, objet FROM journal ORDER BY id`);
      expect(entrees.filter((e) => e.utilisateur.endsWith('(ligne de commande)')).map((e) => `${e.action} ${e.objet}`)).toEqual(
        expect.arrayContaining(['import mixite import', 'export_menages mixite indicateurs', 'export_menages mixite cotation', 'export_menages mixite bilan']),
      );
      expect(entrees.some((e) => e.action === 'compte_cree')).toBe(true);
    } finally {
      store.close();
    }
  }, 120_000);

  it('says in French, without a stack trace, that the store is held by a program that is not Mixité', async () => {
    const autre = spawn(process.execPath, ['--input-type=module', '-e', `import { DuckDBInstance } from '@duckdb/node-api'; await DuckDBInstance.create(${JSON.stringify(base)}); console.log('ouverte'); setInterval(() => {}, 1000);`], { cwd: REPO });
    await new Promise<void>((resolve) => autre.stdout.on('data', () => resolve()));
    try {
      const refus = await mixite(['indicateurs', '--annee', '2024']);
      sansTrace(refus);
      expect(refus.code).toBe(1);
      expect(refus.stderr).toMatch(/ouverte par un autre (processus|programme)/);
    } finally {
      autre.kill('SIGKILL');
    }
  }, 60_000);
});
