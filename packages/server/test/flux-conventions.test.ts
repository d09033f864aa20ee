import { fileURLToPath } from 'node:url';
import type { Conventions, RapportImport } from '@mixite/contract';
import { conventionsSchema } from '@mixite/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from './helpers.ts';
import { login, openProductionApp } from './helpers.ts';

/**
 * Conventions read, imported and edited from the flux page (GET, POST, PUT /api/flux/conventions) on the real server
 * (production mode) over the hand-built flux territory (packages/data/test/fixtures/flux/territoire): who may do what,
 * the import's located refusals, the audit log. Stored at start: B1 2024 ETAT 0.25 · AL 0.30 · COM 0.10 (and the
 * same in 2023); B2 2024 AL 0.5.
 */
const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/flux/territoire', import.meta.url));

describe('conventions from the flux page over HTTP', () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  beforeAll(async () => {
    t = await openProductionApp({ dataset: FIXTURE, securite: { maintenant: () => Date.UTC(2025, 5, 1) } });
    for (const who of ['b1', 'b2', 'al', 'etat', 'epci', 'admin', 'lecteur']) c[who] = await login(t.mixite.app, `${who}@mixite.test`);
  }, 120_000);
  afterAll(() => t?.close());

  const lire = async (who: string): Promise<Conventions> => {
    const r = await (c[who] as Client).request('/api/flux/conventions?annee=2024');
    expect(r.status, await r.clone().text()).toBe(200);
    return conventionsSchema.parse(await r.json()) as Conventions;
  };
  const envoyer = (who: string, csv: string, nom = 'conventions.csv') => {
    const f = new FormData();
    f.append('fichier', new File([csv], nom, { type: 'text/csv' }));
    return (c[who] as Client).request('/api/flux/conventions', { method: 'POST', body: f });
  };
  const part = (who: string, body: unknown) =>
    (c[who] as Client).request('/api/flux/conventions', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const stockees = async () =>
    (await t.store.all<{ l: string }>(`SELECT bailleur_id || ' ' || reservataire_id || ' ' || part AS l FROM conventions WHERE annee = 2024 ORDER BY ALL`)).map((r) => r.l);

  it('lets each account read the conventions it is party to, and says what it may change', async () => {
    const epci = await lire('epci');
    expect(epci.conventions.map((l) => `${l.bailleur_id} ${l.reservataire_id} ${l.part}`)).toEqual(['B1 AL 0.3', 'B1 COM 0.1', 'B1 ETAT 0.25', 'B2 AL 0.5']);
    expect(epci.bailleurs_modifiables).toEqual(['B1', 'B2']);
    const b1 = await lire('b1');
    expect(b1.conventions.map((l) => l.bailleur_id)).toEqual(['B1', 'B1', 'B1']);
    expect(b1.bailleurs_modifiables).toEqual(['B1']);
    // Action Logement reads its conventions at both bailleurs and changes none.
    const al = await lire('al');
    expect(al.conventions.map((l) => `${l.bailleur_id} ${l.reservataire_id}`)).toEqual(['B1 AL', 'B2 AL']);
    expect(al.bailleurs_modifiables).toEqual([]);
    expect((await (c.lecteur as Client).request('/api/flux/conventions?annee=2024')).status).toBe(403);
  });

  it('refuses the import and the edit to the State, a réservataire and the public reader, nothing changed', async () => {
    const avant = await stockees();
    for (const who of ['etat', 'al', 'lecteur']) {
      expect((await envoyer(who, 'bailleur_id;reservataire_id;annee;part\nB2;AL;2024;0.1\n')).status, who).toBe(403);
      expect((await part(who, { bailleur_id: 'B2', reservataire_id: 'AL', annee: 2024, part: 0.1 })).status, who).toBe(403);
    }
    expect(await stockees()).toEqual(avant);
  });

  it('refuses a bailleur’s file holding another bailleur’s line, located, and another bailleur’s share (403)', async () => {
    const avant = await stockees();
    const r = await envoyer('b2', 'bailleur_id;reservataire_id;annee;part\nB2;AL;2024;0.4\nB1;AL;2024;0.1\n', 'mes-conventions.csv');
    expect(r.status).toBe(422);
    const rapport = (await r.json()) as RapportImport;
    expect(rapport.erreurs.map((e) => [e.fichier, e.ligne, e.colonne, e.valeur])).toEqual([['conventions.csv', 3, 'bailleur_id', 'B1']]);
    expect((await part('b2', { bailleur_id: 'B1', reservataire_id: 'AL', annee: 2024, part: 0.1 })).status).toBe(403);
    expect(await stockees()).toEqual(avant);
  });

  it('refuses shares above 100 % with the import’s message on the file’s line', async () => {
    // B1 2024: 0.25 + 0.30 + 0.50 = 1.05.
    const r = await envoyer('epci', 'bailleur_id;reservataire_id;annee;part\nB1;ETAT;2024;0.25\nB1;AL;2024;0.30\nB1;COM;2024;0.50\n');
    expect(r.status).toBe(422);
    const rapport = (await r.json()) as RapportImport;
    expect(rapport.erreurs[0]).toMatchObject({ ligne: 4, colonne: 'part' });
    expect(rapport.erreurs[0]?.message).toContain('totalisent 105');
    const refus = await part('epci', { bailleur_id: 'B1', reservataire_id: 'COM', annee: 2024, part: 0.5 });
    expect(refus.status).toBe(422);
    // A share outside 0–1 is refused at the edge (contract).
    expect((await part('epci', { bailleur_id: 'B1', reservataire_id: 'COM', annee: 2024, part: 1.5 })).status).toBe(422);
  });

  it('lets a bailleur import its own conventions and the EPCI change a share, both in the audit log', async () => {
    const r = await envoyer('b2', 'bailleur_id;reservataire_id;annee;part\nB2;AL;2024;0.4\nB2;ETAT;2024;0.25\n');
    expect(r.status, await r.clone().text()).toBe(200);
    expect(await stockees()).toEqual(['B1 AL 0.3', 'B1 COM 0.1', 'B1 ETAT 0.25', 'B2 AL 0.4', 'B2 ETAT 0.25']);
    const p = await part('epci', { bailleur_id: 'B1', reservataire_id: 'COM', annee: 2024, part: 0.15 });
    expect(p.status, await p.clone().text()).toBe(200);
    expect(await stockees()).toContain('B1 COM 0.15');
    const journal = await t.store.all<{ utilisateur: string; objet: string }>(`SELECT utilisateur, objet FROM journal WHERE action = 'conventions' ORDER BY ALL`);
    // Refused attempts are logged too (statut echoue in their details): 2 by b2, 2 by the EPCI before these two.
    expect(journal.map((j) => `${j.utilisateur} ${j.objet}`)).toEqual(
      expect.arrayContaining(['b2@mixite.test import de conventions.csv', 'epci@mixite.test part B1 → COM 2024', 'b2@mixite.test import de mes-conventions.csv']),
    );
  });
});
