import { createHash, timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { z } from 'zod';

/**
 * The internal channel of the command line (decision 0007): one route, on a listener of its own bound to 127.0.0.1
 * (never the public port, never under /api, never in the OpenAPI document, no cookie read: a web session cannot
 * reach it), for the holder of the token written in `<base>.serveur` — a file only the server's user can read.
 * A command sent here runs in the server process on a connection of its own to the store; its standard output and
 * error come back as a stream of JSON lines, then its exit code.
 */

export const demandeCommandeSchema = z.object({
  commande: z.string().min(1).max(50),
  arguments: z.array(z.string().max(4096)).max(200),
  /** The standard input the command may read (a password with --mot-de-passe-stdin), read by the client. */
  entree: z.string().max(1_000_000).nullable(),
  /** Who runs it: the operator's system account, for the audit log and the import's author. */
  operateur: z.string().min(1).max(200),
});
export type DemandeCommande = z.infer<typeof demandeCommandeSchema>;

/** One line of the answer: a piece of standard output or error, a heartbeat, or the end with the exit code. */
export type TrameCommande = { readonly sortie: string } | { readonly erreur: string } | { readonly attente: true } | { readonly fin: number };

/**
 * Runs a command for the channel; writes its output through `ecrire`, resolves to its exit code (never throws on its
 * own errors). `abandon` fires when the command line goes away (Ctrl+C): nobody reads the outcome any more.
 */
export type ExecutionCommande = (demande: DemandeCommande, ecrire: (trame: TrameCommande) => void, abandon: AbortSignal) => Promise<number>;

/** A silent connection is cut by HTTP clients after a while: a heartbeat line every 10 s while a long import runs. */
const BATTEMENT_MS = 10_000;

export function interneRoutes(jeton: string, executer: ExecutionCommande): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    // Bound to 127.0.0.1 already; checked again so that no proxy or later change of binding opens it to the network.
    const adresse = getConnInfo(c).remote.address ?? '';
    if (!estBoucleLocale(adresse)) return c.json({ erreur: 'Canal interne : réservé à cette machine.' }, 403);
    if (!jetonValide(c.req.header('authorization'), jeton)) return c.json({ erreur: 'Canal interne : jeton absent ou invalide.' }, 401);
    return next();
  });
  app.post('/interne/commandes', async (c) => {
    const corps = demandeCommandeSchema.safeParse(await c.req.json().catch(() => null));
    if (!corps.success) return c.json({ erreur: 'Canal interne : demande invalide.' }, 400);
    const encodeur = new TextEncoder();
    const abandon = new AbortController();
    const flux = new ReadableStream<Uint8Array>({
      start(controleur) {
        let ouvert = true;
        const ecrire = (trame: TrameCommande) => {
          if (!ouvert) return;
          try {
            controleur.enqueue(encodeur.encode(`${JSON.stringify(trame)}\n`));
          } catch {
            ouvert = false;
          }
        };
        const battement = setInterval(() => ecrire({ attente: true }), BATTEMENT_MS);
        // Whatever happens to the command, the server goes on: a failure ends this answer, never the process.
        void executer(corps.data, ecrire, abandon.signal)
          .catch(() => {
            ecrire({ erreur: 'Erreur interne de Mixité : la commande n’a pas pu s’exécuter dans le serveur (voir son journal).\n' });
            return 1;
          })
          .then((code) => ecrire({ fin: code }))
          .finally(() => {
            clearInterval(battement);
            ouvert = false;
            try {
              controleur.close();
            } catch {
              // Closed meanwhile: nobody to tell.
            }
          });
      },
      // The command line's connection closed before the end (interrupted): the command is stopped.
      cancel() {
        abandon.abort();
      },
    });
    return new Response(flux, { status: 200, headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
  });
  app.all('*', (c) => c.json({ erreur: 'Canal interne : route inconnue.' }, 404));
  return app;
}

export function estBoucleLocale(adresse: string): boolean {
  return /^127\./.test(adresse) || adresse === '::1' || /^::ffff:127\./.test(adresse);
}

/** Constant-time comparison of fixed-length digests: the time taken says nothing about how much of the token matched. */
function jetonValide(entete: string | undefined, jeton: string): boolean {
  const presente = /^Bearer (.+)$/.exec(entete ?? '')?.[1];
  if (presente === undefined) return false;
  const empreinte = (texte: string) => createHash('sha256').update(texte).digest();
  return timingSafeEqual(empreinte(presente), empreinte(jeton));
}
