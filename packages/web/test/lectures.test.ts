import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/lib/api.ts';
import { lireEnCommun, oublier, oublierLesLectures, precharger, prendre, reponsePrete } from '../src/lib/lectures.ts';

/**
 * The shared GET reads of the web application (lib/lectures.ts, issue 14), against a real HTTP server that counts the
 * requests it receives and answers after a delay: what is shared, what is kept for the page, what is asked again.
 */
describe('shared reads and reads started ahead of the page', () => {
  const recues = new Map<string, number>();
  let base = '';
  const serveur = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    recues.set(url.pathname, (recues.get(url.pathname) ?? 0) + 1);
    const n = recues.get(url.pathname);
    setTimeout(() => {
      if (url.pathname.startsWith('/refus')) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ erreur: 'interne', message: 'Le calcul a échoué' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ chemin: url.pathname, reponse: n }));
    }, 50);
  });
  const requete = (chemin: string) => ({ url: `${base}${chemin}` });

  beforeAll(async () => {
    await new Promise<void>((resolve) => serveur.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(serveur.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => serveur.close(resolve));
  });

  it('makes one request for two readers of the same URL at the same time, and a new one once it has come', async () => {
    const [a, b] = await Promise.all([lireEnCommun(requete('/commun')), lireEnCommun(requete('/commun'))]);
    expect(a).toEqual({ chemin: '/commun', reponse: 1 });
    expect(b).toEqual(a);
    expect(recues.get('/commun')).toBe(1);
    // Not kept once read: the next reader asks the server (answer 2).
    expect(await lireEnCommun(requete('/commun'))).toEqual({ chemin: '/commun', reponse: 2 });
    expect(recues.get('/commun')).toBe(2);
  });

  it('keeps an answer read ahead for the first reader only, who gets it without a request', async () => {
    await precharger(requete('/avance'));
    expect(recues.get('/avance')).toBe(1);
    // Read ahead twice: still one request.
    await precharger(requete('/avance'));
    expect(recues.get('/avance')).toBe(1);
    expect(reponsePrete(requete('/avance'))).toEqual({ valeur: { chemin: '/avance', reponse: 1 } });
    expect(await lireEnCommun(requete('/avance'))).toEqual({ chemin: '/avance', reponse: 1 });
    expect(recues.get('/avance')).toBe(1);
    // Taken: the next reader asks again.
    expect(reponsePrete(requete('/avance'))).toBeUndefined();
    expect(await lireEnCommun(requete('/avance'))).toEqual({ chemin: '/avance', reponse: 2 });
  });

  it('forgets, when the session ends, an answer read ahead and a read on its way: the next account asks again', async () => {
    await precharger(requete('/compte'));
    const enRoute = lireEnCommun(requete('/compte-en-route'));
    oublierLesLectures();
    expect(reponsePrete(requete('/compte'))).toBeUndefined();
    await expect(enRoute).rejects.toThrow();
    // The next reader gets a fresh answer from the server (answer 2), not the one read for the previous account.
    expect(await lireEnCommun(requete('/compte'))).toEqual({ chemin: '/compte', reponse: 2 });
  });

  it('drops one read ahead that turned out not to be wanted (no session), come or on its way, but not one a page has joined', async () => {
    // Come: forgotten, the next reader asks the server (answer 2).
    await precharger(requete('/devine'));
    oublier(requete('/devine'));
    expect(reponsePrete(requete('/devine'))).toBeUndefined();
    expect(await lireEnCommun(requete('/devine'))).toEqual({ chemin: '/devine', reponse: 2 });
    // On its way: abandoned, and nothing of it kept once the server answers.
    const enRoute = precharger(requete('/devine-en-route'));
    oublier(requete('/devine-en-route'));
    await expect(enRoute).rejects.toThrow();
    expect(reponsePrete(requete('/devine-en-route'))).toBeUndefined();
    // Joined by a page: the page keeps its answer.
    precharger(requete('/devine-jointe')).catch(() => undefined);
    const page = lireEnCommun(requete('/devine-jointe'));
    oublier(requete('/devine-jointe'));
    expect(await page).toEqual({ chemin: '/devine-jointe', reponse: 1 });
    expect(recues.get('/devine-jointe')).toBe(1);
  });

  it('lets a page join a read ahead still on its way, and forgets an answer the page has shown (prendre)', async () => {
    const avance = precharger(requete('/en-route'));
    expect(reponsePrete(requete('/en-route'))).toBeUndefined();
    expect(await lireEnCommun(requete('/en-route'))).toEqual({ chemin: '/en-route', reponse: 1 });
    await avance;
    expect(recues.get('/en-route')).toBe(1);
    // Joined while on its way, then come: not kept for another reader.
    expect(reponsePrete(requete('/en-route'))).toBeUndefined();

    await precharger(requete('/montree'));
    expect(reponsePrete(requete('/montree'))?.valeur).toEqual({ chemin: '/montree', reponse: 1 });
    prendre(requete('/montree'));
    expect(reponsePrete(requete('/montree'))).toBeUndefined();
    expect(await lireEnCommun(requete('/montree'))).toEqual({ chemin: '/montree', reponse: 2 });
  });

  it('withdraws one reader without cancelling the request of the others', async () => {
    const controleur = new AbortController();
    const quitte = lireEnCommun(requete('/partage'), controleur.signal);
    const reste = lireEnCommun(requete('/partage'));
    controleur.abort();
    await expect(quitte).rejects.toMatchObject({ name: 'AbortError' });
    expect(await reste).toEqual({ chemin: '/partage', reponse: 1 });
    expect(recues.get('/partage')).toBe(1);
  });

  it('gives the server’s French error to the reader, and does not keep a failed read ahead once taken', async () => {
    const avance = precharger(requete('/refus'));
    await expect(avance).rejects.toBeInstanceOf(ApiError);
    // Not shown by a first render (only answers are), but given to the page's reader, once.
    expect(reponsePrete(requete('/refus'))).toBeUndefined();
    await expect(lireEnCommun(requete('/refus'))).rejects.toMatchObject({ status: 500, message: 'Le calcul a échoué' });
    expect(recues.get('/refus')).toBe(1);
    await expect(lireEnCommun(requete('/refus'))).rejects.toMatchObject({ status: 500 });
    expect(recues.get('/refus')).toBe(2);
  });
});
