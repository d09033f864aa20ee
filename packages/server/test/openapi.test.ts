import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedOperations, openApiDocument } from '../src/openapi.ts';
import type { TestApp } from './helpers.ts';
import { openTestApp } from './helpers.ts';

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ dataset: null });
  });
  afterAll(() => t.close());

  it('documents every API route the app declares, and nothing else', () => {
    const declared = new Set(
      t.mixite.app.routes
        .filter((r) => r.path.startsWith('/api/') && r.path !== '/api/*' && r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`),
    );
    const documented = new Set(documentedOperations());
    expect([...declared].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !declared.has(r))).toEqual([]);
    expect(declared.size).toBeGreaterThan(10);
  });

  it('is served at /api/openapi.json with the configuration schema generated from zod', async () => {
    const doc = await t.json<{ openapi: string; paths: Record<string, unknown>; components: { schemas: { CiaConfig: { properties: Record<string, unknown> } } } }>(
      '/api/openapi.json',
    );
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/indicateurs');
    expect(Object.keys(doc.components.schemas.CiaConfig.properties)).toEqual(
      expect.arrayContaining(['cibles', 'cibles_par_perimetre', 'assimiles_comme_qpv', 'uc', 'secret_statistique']),
    );
  });

  it('is generated from the declarations: every operation has its access level and a schema for each JSON answer', () => {
    const doc = openApiDocument() as {
      paths: Record<string, Record<string, { 'x-mixite-acces'?: string; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
      components: { schemas: Record<string, { properties?: Record<string, { type?: unknown }> }> };
    };
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect([path, method, typeof op['x-mixite-acces']]).toEqual([path, method, 'string']);
        for (const [status, reponse] of Object.entries(op.responses)) {
          for (const [type, media] of Object.entries(reponse.content ?? {})) expect([path, method, status, type, media.schema !== undefined]).toEqual([path, method, status, type, true]);
        }
      }
    }
    // The drift the hand-written document had: a masked count is null, and the row says why.
    const ligne = doc.components.schemas['LigneIndicateur']?.properties ?? {};
    expect(ligne['numerateur']?.type).toEqual(['integer', 'null']);
    expect(Object.keys(ligne)).toContain('secret');
  });

  it('answers an unknown API route with a French 404 in JSON', async () => {
    const response = await t.request('/api/nulle-part');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ erreur: 'introuvable', message: expect.stringContaining('route inconnue') });
  });
});
