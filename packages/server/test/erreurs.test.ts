import type { GenreErreur, MixiteError } from '@mixite/core';
import {
  BaseEndommageeError,
  ConfigurationInvalideError,
  ConflitError,
  DonneesInvalidesError,
  GENRES_ERREUR,
  InterditError,
  IntrouvableError,
  OutilAbsentError,
  RequeteInvalideError,
} from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers.ts';
import { jsonBody, openTestApp } from './helpers.ts';

/**
 * The error family mapped once to HTTP (http/errors.ts), through the real application: its middlewares and its
 * error handler. The expected statuses are the API's documented ones, written here by hand.
 */
const ATTENDU: Record<GenreErreur, { statut: number; erreur: string }> = {
  requete_invalide: { statut: 400, erreur: 'requete_invalide' },
  donnees_invalides: { statut: 422, erreur: 'donnees_invalides' },
  introuvable: { statut: 404, erreur: 'introuvable' },
  interdit: { statut: 403, erreur: 'acces_refuse' },
  conflit: { statut: 409, erreur: 'conflit' },
  base_endommagee: { statut: 503, erreur: 'base_endommagee' },
  configuration_invalide: { statut: 500, erreur: 'configuration_invalide' },
  outil_absent: { statut: 503, erreur: 'outil_absent' },
};

const UNE_DE_CHAQUE: Record<GenreErreur, () => MixiteError> = {
  requete_invalide: () => new RequeteInvalideError('date « 2024-02-30 » invalide'),
  donnees_invalides: () => new DonneesInvalidesError('grille refusée', { problemes: [{ fichier: 'g.yaml', ligne: 3, colonne: 5, chemin: 'criteres[0]', message: 'code inconnu' }] }),
  introuvable: () => new IntrouvableError('demande « X » introuvable'),
  interdit: () => new InterditError('accès refusé'),
  conflit: () => new ConflitError('l’export n’est pas encore prêt'),
  base_endommagee: () => new BaseEndommageeError('la base est endommagée'),
  configuration_invalide: () => new ConfigurationInvalideError('configuration de la CIA invalide dans la base'),
  outil_absent: () => new OutilAbsentError('Chromium introuvable'),
};

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  // A route of the real application that throws one error of each kind (added after the API, like a page would be).
  t.mixite.app.get('/essai-erreur/:genre', (c) => {
    throw UNE_DE_CHAQUE[c.req.param('genre') as GenreErreur]();
  });
});
afterAll(() => t.close());

describe('one mapping of the error family to HTTP', () => {
  it.each(GENRES_ERREUR)('%s → its status, its code, its French message', async (genre) => {
    const response = await t.request(`/essai-erreur/${genre}`);
    expect(response.status).toBe(ATTENDU[genre].statut);
    const body = (await response.json()) as { erreur: string; message: string; details?: unknown };
    expect(body.erreur).toBe(ATTENDU[genre].erreur);
    expect(body.message).toBe(UNE_DE_CHAQUE[genre]().message);
    if (genre === 'donnees_invalides') expect(body.details).toEqual([{ fichier: 'g.yaml', ligne: 3, colonne: 5, chemin: 'criteres[0]', message: 'code inconnu' }]);
    else expect(body.details).toBeUndefined();
  });

  it('maps the real routes’ domain errors: a date that does not exist (engine), a grid, an unknown route, a missing CSRF token', async () => {
    const grille = 'nom: g\nversion: 1\ncriteres:\n  - { id: a, libelle: A, points: 1 }\n';
    const date = await t.request('/api/cotation/distribution', jsonBody('POST', { grille, date: '2024-02-30' }));
    expect([date.status, ((await date.json()) as { erreur: string }).erreur]).toEqual([400, 'requete_invalide']);

    const mauvaise = await t.request('/api/cotation/distribution', jsonBody('POST', { grille: 'nom: g\nversion: 1\ncriteres: []\n' }));
    const corps = (await mauvaise.json()) as { erreur: string; details: { ligne: number | null; chemin: string }[] };
    expect([mauvaise.status, corps.erreur]).toEqual([422, 'donnees_invalides']);
    expect(corps.details[0]?.chemin).toBe('criteres');

    const inconnue = await t.request('/api/pas-de-route');
    expect([inconnue.status, ((await inconnue.json()) as { erreur: string }).erreur]).toEqual([404, 'introuvable']);

    // Straight to the app, without the token the helper adds: a more precise code than the kind's.
    const sansJeton = await t.mixite.app.request('/api/cotation/distribution', jsonBody('POST', { grille }));
    expect([sansJeton.status, ((await sansJeton.json()) as { erreur: string }).erreur]).toEqual([403, 'csrf']);
  });

  it('says a stored configuration that no longer validates is the deployment’s fault (configuration_invalide, one class)', async () => {
    const u = await openTestApp();
    try {
      await u.store.run(`INSERT INTO configuration SELECT coalesce(max(version), 0) + 1, now(), 'test', 'test', '{"cibles": {"hors_qpv_q1": 7}}'::JSON FROM configuration`);
      // The cotation engine reads the stored configuration itself (configurationCourante).
      const grille = 'nom: g\nversion: 1\ncriteres:\n  - { id: a, libelle: A, points: 1 }\n';
      const response = await u.request('/api/cotation/distribution', jsonBody('POST', { grille }));
      const body = (await response.json()) as { erreur: string; message: string };
      expect(response.status).toBe(500);
      expect(body.erreur).toBe('configuration_invalide');
      expect(body.message).toMatch(/^configuration de la CIA invalide dans la base : cibles\.hors_qpv_q1/);
    } finally {
      u.close();
    }
  });
});
