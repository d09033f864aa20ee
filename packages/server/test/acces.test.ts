import { readFileSync } from 'node:fs';
import { LEGAL_INDICATOR_IDS } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Configuration, ListeAttributions, LigneIndicateur, Tableau, Territoire } from '@mixite/contract';
import { openApiDocument } from '../src/openapi.ts';
import type { Client, TestApp } from './helpers.ts';
import { ACCOUNTS, MINI, datasetForm, jsonBody, login, openProductionApp, scalar } from './helpers.ts';

/**
 * The matrix role × route, generated from the OpenAPI document: every documented operation is called by an
 * anonymous visitor and by an account of every role, and the status must follow the access the document declares.
 * The expected roles of each access level are written here by hand, not read from the server's code.
 */
type Acces = 'public' | 'session' | 'partenaire' | 'menages' | 'modification' | 'administration';
const ALL = ['admin', 'epci', 'etat', 'bailleur', 'reservataire', 'commune', 'lecteur'] as const;
type RoleName = (typeof ALL)[number];
const EXPECTED: Record<Acces, readonly RoleName[]> = {
  public: ALL,
  session: ALL,
  partenaire: ['admin', 'epci', 'etat', 'bailleur', 'reservataire', 'commune'],
  menages: ['admin', 'epci', 'etat', 'bailleur', 'reservataire', 'commune'],
  modification: ['admin', 'epci'],
  administration: ['admin'],
};

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly acces: Acces;
  readonly parameters: readonly { name: string; in: string; required?: boolean; example?: unknown }[];
}

function operations(): Operation[] {
  const doc = openApiDocument() as { paths: Record<string, Record<string, { 'x-mixite-acces'?: Acces; parameters?: Operation['parameters'] }>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, acces: op['x-mixite-acces'] as Acces, parameters: op.parameters ?? [] })),
  );
}

/** The operation's URL with the examples of its parameters. */
function url(op: Operation): string {
  let path = op.path;
  const search = new URLSearchParams();
  for (const p of op.parameters) {
    if (p.example === undefined) {
      if (p.required) throw new Error(`${op.method} ${op.path} : le paramètre obligatoire « ${p.name} » n’a pas d’exemple dans le document OpenAPI`);
      continue;
    }
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(p.example)));
    else if (p.in === 'query') search.set(p.name, String(p.example));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** Statuses an allowed role may get besides 200/204: a token that names no pending upload. */
const OTHER_OUTCOMES: Record<string, readonly number[]> = {
  'POST /api/televersements/{jeton}/confirmation': [404],
  'DELETE /api/televersements/{jeton}': [404],
  // The request lies outside the perimeter of most scoped accounts.
  'POST /api/cotation/demande': [404],
  // The applicant's letter: the same request (404 outside the perimeter), refused to a commune (pseudonyms only).
  'POST /api/cotation/lettre': [403, 404],
  // The example id names no background export.
  'GET /api/exports/{id}': [404],
  'GET /api/exports/{id}/fichier': [404],
  // The mini territory has no action programme: the example fiche does not exist (issue 19; programme.test.ts has one).
  'PUT /api/programme/fiches/{numero}/statut': [404],
  'POST /api/programme/fiches/{numero}/commentaires': [404],
  // Governance (issue 19): the example ids name no meeting, instance nor commitment of the mini territory.
  'PUT /api/programme/instances/{id}': [404],
  'POST /api/programme/reunions': [404],
  'PUT /api/programme/reunions/{id}': [404],
  'PUT /api/programme/engagements/{id}': [404],
  // CALEOL (issue 15): the mini territory's L1 (B1, 91228, ETAT) lies outside most scoped perimeters; the example
  // decision names an unknown request (400, nothing written) and the roles that only read it are refused (403).
  'POST /api/caleol/liste': [403],
  'POST /api/caleol/decisions': [400, 403],
  'POST /api/caleol/decisions/{id}/reponse': [403, 404],
  // The agenda of a commission: L1 outside most scoped perimeters (403).
  'POST /api/caleol/ordre-du-jour': [403],
  // Conventions (issue 13): the partners read them, the EPCI, the administrator and a bailleur (its own) change them;
  // the example names B1, whose conventions the import may refuse on the mini territory (422, located report).
  'POST /api/flux/conventions': [403, 422],
  'PUT /api/flux/conventions': [403, 422],
  // Saved mappings (issue 17): the example name is saved by the PUT of the matrix, which may run after the GET.
  'GET /api/correspondances/{nom}': [404],
  'DELETE /api/correspondances/{nom}': [404],
  // The example token names no refused verification's full list of errors (issue 17).
  'GET /api/televersements/{jeton}/erreurs': [404],
  // Simulation (issue 16): started (202) by the admin, the EPCI and the State only, the scoped partners refused in the
  // handler (403); the example id names no simulation.
  'POST /api/simulations': [202, 403, 409],
  'GET /api/simulations/{id}': [404],
  'DELETE /api/simulations/{id}': [404],
};

/** A small valid cotation grid, for the bodies of the cotation routes. */
const GRILLE = 'nom: Test\nversion: 1\ncriteres:\n  - { id: anciennete, libelle: Ancienneté, points_par_mois: 1, plafond: 24 }\n';
/** The aggregates of a grid are open to every role, the public one for the published grids only (issue 10). */
const PUBLIEE = readFileSync(new URL('../../../grilles/equilibre-cia.yaml', import.meta.url), 'utf8');

const key = (op: Operation) => `${op.method} ${op.path}`;
const roleOf = (email: string) => ACCOUNTS.find((a) => a.email === email)?.role as RoleName;
/** The first account of each role. */
const REPRESENTATIVES = ALL.map((role) => ACCOUNTS.find((a) => a.role === role) as (typeof ACCOUNTS)[number]);

describe('access matrix generated from the OpenAPI document (production mode)', () => {
  let t: TestApp;
  const clients = new Map<string, Client>();
  let bodies: Record<string, (email: string) => RequestInit>;

  beforeAll(async () => {
    t = await openProductionApp();
    for (const a of ACCOUNTS) clients.set(a.email, await login(t.mixite.app, a.email));
    const admin = clients.get('admin@mixite.test') as Client;
    const config = (await (await admin.request('/api/configuration')).json()) as Configuration;
    const seuils = (await (await admin.request('/api/seuils')).json()) as Tableau<object>;
    const form = () => {
      const f = new FormData();
      f.append('fichiers', datasetForm(MINI).getAll('fichiers').find((x) => (x as File).name === 'seuils.csv') as File);
      return f;
    };
    // A valid body for every operation that takes one: a new mutating route fails the test until it has one.
    bodies = {
      'POST /api/session': (email) => jsonBody('POST', { email, mot_de_passe: 'correct horse battery staple' }),
      'PUT /api/configuration': () => jsonBody('PUT', { contenu: config.contenu }),
      'PUT /api/seuils': () => jsonBody('PUT', { seuils: seuils.lignes }),
      'POST /api/televersements': () => ({ method: 'POST', body: form() }),
      'POST /api/cotation/verifier': () => jsonBody('POST', { grille: GRILLE }),
      'POST /api/cotation/distribution': () => jsonBody('POST', { grille: PUBLIEE }),
      'POST /api/cotation/impact': () => jsonBody('POST', { grille_a: PUBLIEE, grille_b: PUBLIEE }),
      'POST /api/cotation/demande': () => jsonBody('POST', { grille: GRILLE, nur: '0912023000002' }),
      'POST /api/cotation/lettre': () => jsonBody('POST', { grille: GRILLE, nur: '0912023000002' }),
      'POST /api/menage': () => jsonBody('POST', { personnes: 3, adultes: 1, moins_14_ans: 2, ressources_mensuelles: 1200, date: '2024-12-01', zone_apl: '2', loyer: 450 }),
      'POST /api/export': () => jsonBody('POST', { titre: 'Agrégats', colonnes: [{ cle: 'n', libelle: 'N', type: 'entier' }], lignes: [{ n: 1 }] }),
      'POST /api/exports': () => jsonBody('POST', { ressource: 'attributions', format: 'csv', indicateur: 'prioritaires', periode: '2024' }),
      'PUT /api/programme/fiches/{numero}/statut': () => jsonBody('PUT', { annee: 2024, statut: 'en_cours' }),
      'POST /api/programme/fiches/{numero}/commentaires': () => jsonBody('POST', { annee: 2024, texte: 'Point d’étape' }),
      'POST /api/programme/instances': () => jsonBody('POST', { genre: 'cil', nom: 'CIL', membres: ['epci'], frequence: null }),
      'PUT /api/programme/instances/{id}': () => jsonBody('PUT', { genre: 'cil', nom: 'CIL', membres: ['epci'], frequence: null }),
      'POST /api/programme/reunions': () => jsonBody('POST', { instance_id: 4242, date: '2024-03-28', ordre_du_jour: 'Bilan', compte_rendu: null, documents: [], decisions: [], presents: [] }),
      'PUT /api/programme/reunions/{id}': () => jsonBody('PUT', { instance_id: 4242, date: '2024-03-28', ordre_du_jour: 'Bilan', compte_rendu: null, documents: [], decisions: [], presents: [] }),
      'POST /api/programme/engagements': () => jsonBody('POST', { partenaire: 'SIAO', fiche: null, libelle: 'Notes sociales', echeance: null, statut: 'a_tenir', quantifie: null }),
      'PUT /api/programme/engagements/{id}': () => jsonBody('PUT', { partenaire: 'SIAO', fiche: null, libelle: 'Notes sociales', echeance: null, statut: 'a_tenir', quantifie: null }),
      'POST /api/caleol/liste': () => jsonBody('POST', { logement_id: 'L1' }),
      'POST /api/caleol/decisions': () => jsonBody('POST', { logement_id: 'L1', date_cal: '2024-12-31', candidats: [{ nur: 'inconnue', decision: 'attribution' }] }),
      'POST /api/caleol/decisions/{id}/reponse': () => jsonBody('POST', { issue: 'bail_signe', date_bail: '2025-01-15' }),
      'POST /api/caleol/ordre-du-jour': () => jsonBody('POST', { date: '2024-12-31', logements: ['L1'], format: 'xlsx' }),
      'POST /api/flux/conventions': () => {
        const f = new FormData();
        f.append('fichier', new File(['bailleur_id;reservataire_id;annee;part\nB1;ETAT;2024;0.25\n'], 'conventions.csv', { type: 'text/csv' }));
        return { method: 'POST', body: f };
      },
      'PUT /api/flux/conventions': () => jsonBody('PUT', { bailleur_id: 'B1', reservataire_id: 'ETAT', annee: 2024, part: 0.25 }),
      'POST /api/correspondances/proposition': () => {
        const f = new FormData();
        f.append('extraction', new File(['NUM_UNIQUE;DATE_DEPOT\n0912023000099;2024-01-15\n'], 'extraction.csv', { type: 'text/csv' }));
        return { method: 'POST', body: f };
      },
      'PUT /api/correspondances/{nom}': () => jsonBody('PUT', { nom: 'SNE Essonne 2024', fichiers: {} }),
      'POST /api/simulation/verifier': () => jsonBody('POST', { contenu: 'nom: Essai\nordre: anciennete\n' }),
      'POST /api/simulations': () => jsonBody('POST', { annee: 2025, politiques: [{ livree: 'pratique-observee.yaml' }], tirages: 1 }),
    };
  }, 120_000);
  afterAll(() => t?.close());

  const init = (op: Operation, email: string): RequestInit => {
    const body = bodies[key(op)];
    if (body) return body(email);
    if (op.method !== 'GET' && op.method !== 'DELETE' && !(op.method === 'POST' && op.path.endsWith('/confirmation'))) {
      throw new Error(`${key(op)} : ajoutez un corps d’exemple à la matrice des accès`);
    }
    return { method: op.method };
  };

  it('every documented operation declares its access level', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(20);
    expect(ops.filter((op) => !(op.acces in EXPECTED)).map(key)).toEqual([]);
  });

  it('anonymous visitors get 401 everywhere but the public operations', async () => {
    const seen: string[] = [];
    for (const op of operations()) {
      const response = await t.mixite.app.request(url(op), init(op, 'inconnu@mixite.test'));
      if (op.acces === 'public') {
        // The login with an unknown account is refused as a wrong password would be; the others answer.
        expect([key(op), response.status]).toEqual([key(op), op.method === 'GET' ? 200 : 401]);
        if (op.method === 'POST') expect(((await response.json()) as { erreur: string }).erreur).toBe('non_authentifie');
      } else {
        expect([key(op), response.status]).toEqual([key(op), 401]);
      }
      seen.push(key(op));
    }
    expect(seen).toContain('GET /api/objectifs/{indicateur}/attributions');
  });

  it('each role gets 200 where its access allows it and 403 elsewhere', async () => {
    const outcomes: string[] = [];
    for (const op of operations()) {
      for (const account of REPRESENTATIVES) {
        // Logging in again, or out, ends the session: those two get a session of their own.
        const client = key(op) === 'DELETE /api/session' || key(op) === 'POST /api/session' ? await login(t.mixite.app, account.email) : (clients.get(account.email) as Client);
        const response = await client.request(url(op), init(op, account.email));
        const allowed = EXPECTED[op.acces].includes(account.role);
        const ok = op.method === 'GET' ? [200, ...(OTHER_OUTCOMES[key(op)] ?? [])] : [200, 204, ...(OTHER_OUTCOMES[key(op)] ?? [])];
        const status = response.status;
        if (allowed) expect([key(op), account.role, ok.includes(status)], `${key(op)} ${account.role} → ${status} ${await response.clone().text()}`).toEqual([key(op), account.role, true]);
        else expect([key(op), account.role, status]).toEqual([key(op), account.role, 403]);
        outcomes.push(`${key(op)} ${account.role} ${status}`);
      }
    }
    expect(outcomes.length).toBe(operations().length * ALL.length);
  }, 120_000);

  it('refuses every mutating operation without the CSRF token, even to the roles allowed to use it', async () => {
    for (const op of operations().filter((o) => o.method !== 'GET' && o.acces !== 'public')) {
      for (const account of REPRESENTATIVES.filter((a) => EXPECTED[op.acces].includes(a.role))) {
        const client = clients.get(account.email) as Client;
        const request = init(op, account.email);
        const headers = new Headers(request.headers);
        headers.set('x-mixite-csrf', 'faux');
        const forged = await client.request(url(op), { ...request, headers });
        expect([key(op), account.role, forged.status]).toEqual([key(op), account.role, 403]);
        expect(((await forged.json()) as { erreur: string }).erreur).toBe('csrf');
      }
    }
  });

  it('scoped roles never receive another perimeter’s allocations, whatever perimeter they ask for', async () => {
    const admin = clients.get('admin@mixite.test') as Client;
    const territoire = (await (await admin.request('/api/territoire')).json()) as Territoire;
    const asked: { type: string; id: string | null }[] = [{ type: 'territoire', id: null }];
    for (const type of ['bailleur', 'contingent', 'commune', 'qpv', 'type_contingent']) {
      for (const p of territoire.perimetres[type] ?? []) asked.push({ type, id: p.id });
    }
    // Where each allocation is, read with plain SQL (dwelling fields from the dwelling when the allocation leaves them empty).
    const where = new Map(
      (
        await t.store.all<{ id: string; nur: string; bailleur: string; contingent: string | null; commune: string }>(
          `SELECT a.id, a.nur, coalesce(a.bailleur_id, l.bailleur_id) AS bailleur, coalesce(a.contingent, l.contingent) AS contingent,
                  coalesce(a.code_insee, l.code_insee) AS commune
             FROM attributions a LEFT JOIN logements l ON l.id = a.logement_id`,
        )
      ).map((r) => [r.id, r]),
    );
    const nurs = new Set([...where.values()].map((r) => r.nur));
    expect(operations().filter((op) => op.acces === 'menages').map(key).sort()).toEqual([
      'GET /api/caleol/decisions',
      'GET /api/caleol/logements',
      'GET /api/exports/{id}',
      'GET /api/exports/{id}/fichier',
      'GET /api/objectifs/{indicateur}/attributions',
      'POST /api/caleol/decisions',
      'POST /api/caleol/decisions/{id}/reponse',
      'POST /api/caleol/liste',
      'POST /api/caleol/ordre-du-jour',
      'POST /api/cotation/demande',
      'POST /api/cotation/lettre',
      'POST /api/exports',
    ]);
    // The cotation of one request and the exports have their own scoping tests (cotation.test.ts, export.test.ts).
    const menages = operations().filter((op) => op.acces === 'menages' && op.method === 'GET' && op.path.endsWith('/attributions'));
    for (const op of menages) {
      for (const account of ACCOUNTS) {
        const client = clients.get(account.email) as Client;
        const received = new Set<string>();
        for (const indicateur of LEGAL_INDICATOR_IDS) {
          for (const { type, id } of asked) {
            const path = op.path.replace('{indicateur}', indicateur);
            const query = new URLSearchParams({ periode: '2024', perimetre_type: type, ...(id ? { perimetre_id: id } : {}) });
            const response = await client.request(`${path}?${query}`);
            if (account.role === 'lecteur') {
              expect(response.status).toBe(403);
              continue;
            }
            expect(response.status).toBe(200);
            const liste = (await response.json()) as ListeAttributions;
            for (const ligne of liste.lignes) {
              const row = where.get(ligne.id);
              expect(row, `${ligne.id} n’est pas une attribution de la base`).toBeDefined();
              const perimetre = 'perimetre' in account ? account.perimetre : null;
              const inside =
                account.role === 'bailleur' ? row?.bailleur === perimetre : account.role === 'reservataire' ? row?.contingent === perimetre : account.role === 'commune' ? row?.commune === perimetre : true;
              expect([account.email, ligne.id, inside]).toEqual([account.email, ligne.id, true]);
              // The NUR: in clear for the roles that handle the household, a pseudonym for the others.
              if (account.role === 'commune') {
                expect(ligne.nur).toMatch(/^PS-[0-9a-f]{20}$/);
                expect(nurs.has(ligne.nur)).toBe(false);
              } else expect(nurs.has(ligne.nur)).toBe(true);
              received.add(ligne.id);
            }
          }
        }
        if (account.role === 'lecteur') continue;
        // Not vacuous: each account receives exactly the allocations of its perimeter that some indicator counts.
        const expected = [...where.values()]
          .filter((r) => (account.role === 'bailleur' ? r.bailleur === account.perimetre : account.role === 'reservataire' ? r.contingent === account.perimetre : account.role === 'commune' ? r.commune === account.perimetre : true))
          .map((r) => r.id)
          .filter((id) => id !== 'A3');
        expect([account.email, [...received].sort()]).toEqual([account.email, expected.sort()]);
      }
    }
  }, 120_000);

  it('the same household gets the same pseudonym on every list, and another household another one', async () => {
    const evry = clients.get('evry@mixite.test') as Client;
    const corbeil = clients.get('corbeil@mixite.test') as Client;
    const first = (await (await evry.request('/api/objectifs/prioritaires/attributions?periode=2024')).json()) as ListeAttributions;
    const again = (await (await evry.request('/api/objectifs/qpv_hors_q1/attributions?periode=2024')).json()) as ListeAttributions;
    const other = (await (await corbeil.request('/api/objectifs/prioritaires/attributions?periode=2024')).json()) as ListeAttributions;
    expect(first.lignes.map((l) => l.id)).toEqual(['A1']);
    expect(again.lignes[0]?.nur).toBe(first.lignes[0]?.nur);
    expect(other.lignes.map((l) => l.id)).toEqual(['A2']);
    expect(other.lignes[0]?.nur).not.toBe(first.lignes[0]?.nur);
    expect(first).toMatchObject({ nur_pseudonymise: true, restriction: 'commune Évry-Courcouronnes' });
  });

  it('gives the lecteur only published tables: no count between 1 and the secrecy threshold', async () => {
    const lecteur = clients.get('lecteur@mixite.test') as Client;
    const epci = clients.get('epci@mixite.test') as Client;
    const seuil = await scalar<number>(t.store, `SELECT coalesce((SELECT (contenu->>'secret_statistique')::INTEGER FROM configuration ORDER BY version DESC LIMIT 1), 11) AS v`);
    for (const path of ['/api/indicateurs?annee=2024', '/api/indicateurs/tendance']) {
      const published = ((await (await lecteur.request(path)).json()) as Tableau<LigneIndicateur>).lignes;
      const internal = ((await (await epci.request(path)).json()) as Tableau<LigneIndicateur>).lignes;
      expect(published.length).toBe(internal.length);
      for (const row of published) {
        for (const n of [row.numerateur, row.denominateur]) expect(n === null || n === 0 || n >= seuil).toBe(true);
        if (row.numerateur === null) expect([row.taux, row.ecart, row.atteint]).toEqual([null, null, null]);
      }
      // The mini territory has three allocations: every non-empty cell is masked.
      expect(published.some((r) => r.secret === 'primaire')).toBe(true);
      expect(internal.some((r) => (r.denominateur ?? 0) > 0)).toBe(true);
    }
    const demande = (await (await lecteur.request('/api/demande?annee=2024')).json()) as { lignes: { numerateur: number | null; denominateur: number | null }[]; controles: { q1_desaccords_exemples: string[] } };
    for (const row of demande.lignes) for (const n of [row.numerateur]) expect(n === null || n === 0 || n >= seuil).toBe(true);
    expect(demande.controles.q1_desaccords_exemples).toEqual([]);
  });

  it('exports household lists by their query only: refused to the lecteur, pseudonymised for a commune, logged', async () => {
    const table = {
      titre: 'Attributions',
      colonnes: [
        { cle: 'id', libelle: 'Attribution', type: 'texte' },
        { cle: 'nur', libelle: 'NUR', type: 'texte' },
      ],
      lignes: [{ id: 'A1', nur: '0912023000001' }],
    };
    const query = { ressource: 'attributions', format: 'csv', indicateur: 'prioritaires', periode: '2024' };
    const lecteur = clients.get('lecteur@mixite.test') as Client;
    expect((await lecteur.request('/api/exports', jsonBody('POST', query))).status).toBe(403);
    const evry = clients.get('evry@mixite.test') as Client;
    // The rows the page would send back are refused whoever sends them: no route pseudonymises a NUR it is given.
    expect((await evry.request('/api/export?format=csv', jsonBody('POST', table))).status).toBe(422);
    const csv = await (await evry.request('/api/exports', jsonBody('POST', query))).text();
    expect(csv).not.toContain('0912023000001');
    expect(csv).toMatch(/A1;PS-[0-9a-f]{20}/);
    const b1 = clients.get('b1@mixite.test') as Client;
    expect(await (await b1.request('/api/exports', jsonBody('POST', { ...query, indicateur: 'qpv_hors_q1' }))).text()).not.toContain('PS-');
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM journal WHERE action = 'export_menages' AND utilisateur = 'evry@mixite.test'`)).toBeGreaterThanOrEqual(1);
  });

  it('knows every role it tests', () => {
    expect(new Set(ACCOUNTS.map((a) => roleOf(a.email)))).toEqual(new Set(ALL));
  });
});
