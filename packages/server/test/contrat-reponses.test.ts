import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '@mixite/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { OPERATIONS, openApiDocument } from '../src/openapi.ts';
import type { Operation } from '../src/routes/operation.ts';
import type { Client, TestApp } from './helpers.ts';
import { createAccounts, jsonBody, login, openTestApp } from './helpers.ts';

/**
 * The answers the server really sends, against the contract it publishes (issue 11): every documented GET route
 * that answers JSON is called on the demo territory by an account of every role, and each answer is parsed with the
 * zod schema of its status in the route's declaration — strict objects, so a field the server adds without declaring
 * it fails like a missing or mistyped one — and the generated document must carry a schema for that route and status.
 * A few POST routes whose answers are aggregates (the cotation page) are checked the same way.
 */
const ROLES = ['admin', 'epci', 'etat', 'bailleur', 'reservataire', 'commune', 'lecteur'] as const;
const GRILLE = readFileSync(new URL('../../../grilles/equilibre-cia.yaml', import.meta.url), 'utf8');

type Parametre = { name: string; in: string; required?: boolean; example?: unknown };
type Doc = { paths: Record<string, Record<string, { parameters?: Parametre[]; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };

const doc = openApiDocument() as unknown as Doc;
const documentee = (op: Operation) => doc.paths[`/api${op.path}`]?.[op.method];

/** The zod schema a declaration gives to the JSON answer of a status, if any. */
function schemaDe(op: Operation, status: number): z.ZodType | null {
  const reponse = (op.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>)[String(status)];
  const schema = reponse?.content?.['application/json']?.schema;
  return schema && typeof (schema as z.ZodType).safeParse === 'function' ? (schema as z.ZodType) : null;
}

/** The URLs a GET route is called with: the examples of its required parameters only, then of all of them. */
function urls(op: Operation, valeurs: Record<string, string>): string[] {
  const parametres = documentee(op)?.parameters ?? [];
  const construire = (tous: boolean) => {
    let path = `/api${op.path}`;
    const search = new URLSearchParams();
    for (const p of parametres) {
      const valeur = valeurs[p.name] ?? (p.example === undefined ? undefined : String(p.example));
      if (valeur === undefined || (!p.required && !tous)) continue;
      if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(valeur));
      else search.set(p.name, valeur);
    }
    const query = search.toString();
    return query ? `${path}?${query}` : path;
  };
  return [...new Set([construire(false), construire(true)])];
}

describe('the answers of the API follow the published contract (demo territory, every role)', () => {
  let t: TestApp;
  let dir: string;
  const clients = new Map<string, Client>();
  /** Parameter values that name things of the demo territory (the document's examples name the mini one). */
  const valeurs: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-contrat-'));
    await generateDemo({ out: dir, echelle: 'epci', graine: 1 });
    t = await openTestApp({ dataset: dir, securite: { mode: 'production' } });
    const premier = async (sql: string) => ((await t.store.all<{ v: string }>(sql))[0] as { v: string }).v;
    const bailleur = await premier(`SELECT id AS v FROM bailleurs ORDER BY id LIMIT 1`);
    const reservataire = await premier(`SELECT id AS v FROM reservataires ORDER BY id LIMIT 1`);
    const commune = await premier(`SELECT code_insee AS v FROM communes ORDER BY code_insee LIMIT 1`);
    const annee = await premier(`SELECT max(year(date_cal))::VARCHAR AS v FROM attributions`);
    Object.assign(valeurs, { annee, periode: annee, perimetre_id: bailleur, perimetre_type: 'bailleur' });
    const comptes = [
      { email: 'admin@contrat.test', role: 'admin' },
      { email: 'epci@contrat.test', role: 'epci' },
      { email: 'etat@contrat.test', role: 'etat' },
      { email: 'bailleur@contrat.test', role: 'bailleur', perimetre: bailleur },
      { email: 'reservataire@contrat.test', role: 'reservataire', perimetre: reservataire },
      { email: 'commune@contrat.test', role: 'commune', perimetre: commune },
      { email: 'lecteur@contrat.test', role: 'lecteur' },
    ];
    await createAccounts(t.store, comptes);
    for (const c of comptes) clients.set(c.role, await login(t.mixite.app, c.email));
    // A mapping saved under the example name of GET /correspondances/{nom} (issue 17), so that the route answers 200.
    const enregistre = await (clients.get('admin') as Client).request('/api/correspondances/SNE%20Essonne%202024', jsonBody('PUT', { nom: 'SNE Essonne 2024', fichiers: {} }));
    expect(enregistre.status, await enregistre.clone().text()).toBe(200);
  }, 300_000);
  afterAll(() => {
    t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const verifier = async (op: Operation, role: string, url: string, reponse: Response, vues: string[]) => {
    const status = reponse.status;
    const documentation = documentee(op)?.responses[String(status)];
    expect(documentation, `${op.method.toUpperCase()} ${url} (${role}) → ${status} : statut non documenté`).toBeDefined();
    const type = reponse.headers.get('content-type') ?? '';
    if (!type.startsWith('application/json')) {
      expect(Object.keys(documentation?.content ?? {}), `${url} (${role}) : type ${type} non documenté`).toContain(type.split(';')[0]);
      return;
    }
    expect(documentation?.content?.['application/json']?.schema, `${url} (${role}) → ${status} : pas de schéma dans le document`).toBeDefined();
    const schema = schemaDe(op, status);
    expect(schema, `${url} (${role}) → ${status} : pas de schéma zod dans la déclaration`).not.toBeNull();
    const resultat = (schema as z.ZodType).safeParse(await reponse.json());
    const problemes = resultat.success ? [] : resultat.error.issues.slice(0, 5).map((i) => `${i.path.join('.')} : ${i.message}`);
    expect(problemes, `${op.method.toUpperCase()} ${url} (${role}) → ${status}`).toEqual([]);
    if (status === 200) vues.push(`${op.method.toUpperCase()} ${op.path} ${role}`);
  };

  it('every JSON GET route, for every role, parses with its declared schema', async () => {
    const vues: string[] = [];
    const gets = OPERATIONS.filter((op) => op.method === 'get' && op.path !== '/bilan/{annee}/{format}');
    for (const op of gets) {
      for (const role of ROLES) {
        for (const url of urls(op, valeurs)) {
          const reponse = await (clients.get(role) as Client).request(url);
          if (reponse.status === 403) continue;
          await verifier(op, role, url, reponse, vues);
        }
      }
    }
    // Not vacuous: each JSON GET route was answered with 200 to some role, and the public tables to every role.
    const routes200 = new Set(vues.map((v) => v.split(' ').slice(0, 2).join(' ')));
    // Routes answering a file (the R441-5-1 bilan of /flux/bilan) have no JSON to parse: only their status is checked above.
    const json200 = (o: (typeof gets)[number]) => 'application/json' in ((o.responses as Record<number, { content?: object }>)[200]?.content ?? {});
    for (const op of gets.filter((o) => !o.path.startsWith('/exports/') && !o.path.startsWith('/simulations/') && json200(o))) expect(routes200, `${op.path}`).toContain(`GET ${op.path}`);
    for (const role of ROLES) expect(vues).toContain(`GET /indicateurs ${role}`);
  }, 600_000);

  it('the lecteur’s masked tables and the allocation lists of every scoped role follow it too', async () => {
    const vues: string[] = [];
    const indicateurs = OPERATIONS.find((op) => op.path === '/indicateurs') as Operation;
    const attributions = OPERATIONS.find((op) => op.path === '/objectifs/{indicateur}/attributions') as Operation;
    for (const role of ROLES) {
      const client = clients.get(role) as Client;
      for (const type of ['territoire', 'commune', 'qpv', 'bailleur', 'contingent', 'type_contingent', 'non_reserve']) {
        const url = `/api/indicateurs?periode=12m-${valeurs['annee']}-06-30&perimetre_type=${type}`;
        await verifier(indicateurs, role, url, await client.request(url), vues);
      }
      const url = `/api/objectifs/hors_qpv_q1/attributions?periode=${valeurs['annee']}&limite=50`;
      const reponse = await client.request(url);
      if (role === 'lecteur') expect(reponse.status).toBe(403);
      else await verifier(attributions, role, url, reponse, vues);
    }
    const masquees = (await (await (clients.get('lecteur') as Client).request(`/api/indicateurs?annee=${valeurs['annee']}&perimetre_type=commune`)).json()) as {
      lignes: { secret?: string | null }[];
    };
    expect(masquees.lignes.some((l) => l.secret === 'primaire')).toBe(true);
    expect(vues.length).toBe(ROLES.length * 7 + ROLES.length - 1);
  }, 600_000);

  it('the cotation aggregates (POST) follow it for every role', async () => {
    const vues: string[] = [];
    const corps: Record<string, unknown> = {
      '/cotation/verifier': { grille: GRILLE },
      '/cotation/distribution': { grille: GRILLE },
      '/cotation/impact': { grille_a: GRILLE, grille_b: GRILLE },
    };
    for (const [path, body] of Object.entries(corps)) {
      const op = OPERATIONS.find((o) => o.path === path && o.method === 'post') as Operation;
      for (const role of ROLES) await verifier(op, role, `/api${path}`, await (clients.get(role) as Client).request(`/api${path}`, jsonBody('POST', body)), vues);
    }
    expect(vues.length).toBe(3 * ROLES.length);
  }, 600_000);
});
