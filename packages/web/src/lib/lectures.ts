import { lire } from './api.ts';
import type { Requete } from './client.ts';

/**
 * The GET reads in flight, shared (issue 14): two readers of the same URL at the same time make one request, and a
 * read started ahead of its page — `precharger`, when the address is known but the page's code is still on its way
 * (lib/prechargement.ts) — is kept until the page takes it. No React here: the application's first module starts its
 * reads with this before React and the rest of the application are even loaded.
 *
 * What is not cached, so that nothing older than the page is shown: an answer read by a page is not kept once it has
 * come (the next visit reads again, as before), a page's `reload` never joins a read in flight (useApi), and an
 * answer read ahead that no page took within `GARDE_MS` is dropped.
 */

type Resultat = { readonly ok: true; readonly valeur: unknown } | { readonly ok: false; readonly erreur: unknown };

interface Lecture {
  readonly promesse: Promise<unknown>;
  readonly controleur: AbortController;
  /** Read ahead of its page: kept once come, until a page takes it (or `GARDE_MS` has passed). */
  readonly prechargee: boolean;
  /** Readers waiting on it: the request is abandoned when the last one leaves (unless it was read ahead). */
  lecteurs: number;
  resultat?: Resultat;
  finie?: number;
}

/** How long an answer read ahead waits for its page: a page's code arrives in well under this even on a loaded machine. */
const GARDE_MS = 30_000;

const LECTURES = new Map<string, Lecture>();

function valide(url: string): Lecture | undefined {
  const lecture = LECTURES.get(url);
  if (lecture?.finie !== undefined && Date.now() - lecture.finie > GARDE_MS) {
    LECTURES.delete(url);
    return undefined;
  }
  return lecture;
}

function demarrer(url: string, prechargee: boolean): Lecture {
  const controleur = new AbortController();
  const lecture: Lecture = {
    controleur,
    prechargee,
    lecteurs: 0,
    promesse: lire({ url }, controleur.signal).then(
      (valeur) => {
        terminer(url, lecture, { ok: true, valeur });
        return valeur;
      },
      (erreur: unknown) => {
        terminer(url, lecture, { ok: false, erreur });
        throw erreur;
      },
    ),
  };
  // A read ahead that no page takes must not surface as an unhandled rejection.
  lecture.promesse.catch(() => undefined);
  LECTURES.set(url, lecture);
  return lecture;
}

/** Once come: kept for its page if it was read ahead and nobody waits on it yet, else forgotten (the waiting readers have it). */
function terminer(url: string, lecture: Lecture, resultat: Resultat): void {
  if (LECTURES.get(url) !== lecture) return;
  if (lecture.prechargee && lecture.lecteurs === 0) {
    lecture.resultat = resultat;
    lecture.finie = Date.now();
  } else {
    LECTURES.delete(url);
  }
}

/**
 * Starts reading a GET route ahead of the page that will show it (nothing if the same URL is already being read or
 * waits for its page). The promise is for the one who reads ahead, to chain what depends on the answer.
 */
export function precharger<T>(requete: Requete<T>): Promise<T> {
  const lecture = valide(requete.url) ?? demarrer(requete.url, true);
  if (lecture.resultat) return lecture.resultat.ok ? Promise.resolve(lecture.resultat.valeur as T) : Promise.reject(lecture.resultat.erreur);
  return lecture.promesse as Promise<T>;
}

/**
 * Drops a read started ahead that no reader has joined (in flight: abandoned; come: forgotten). For reads started
 * on a guess that turned out wrong — lib/prechargement.ts asks the territory alongside the session, and forgets it
 * if there is no session, so that a refusal read before the login is not shown to the account that logs in.
 */
export function oublier(requete: Requete<unknown>): void {
  const lecture = LECTURES.get(requete.url);
  if (!lecture?.prechargee || lecture.lecteurs > 0) return;
  LECTURES.delete(requete.url);
  lecture.controleur.abort();
}

/**
 * The answer read ahead for this URL if it has already come, without taking it: what a page's first render can show
 * at once instead of a loading message. `undefined` when there is none (or it was an error: the page reads it the
 * usual way, in an effect, and shows the error there).
 */
export function reponsePrete<T>(requete: Requete<T>): { readonly valeur: T } | undefined {
  const resultat = valide(requete.url)?.resultat;
  return resultat?.ok ? { valeur: resultat.valeur as T } : undefined;
}

/** The page has shown the answer read ahead (`reponsePrete`): it is not kept any longer. */
export function prendre(requete: Requete<unknown>): void {
  if (LECTURES.get(requete.url)?.resultat) LECTURES.delete(requete.url);
}

/**
 * Reads a declared GET route, sharing the request with whoever reads the same URL at the same time, or taking the
 * answer read ahead for it. `signal` withdraws this reader only; the request stops when no reader is left.
 */
export function lireEnCommun<T>(requete: Requete<T>, signal?: AbortSignal): Promise<T> {
  const url = requete.url;
  const existante = valide(url);
  if (existante?.resultat) {
    LECTURES.delete(url);
    return existante.resultat.ok ? Promise.resolve(existante.resultat.valeur as T) : Promise.reject(existante.resultat.erreur);
  }
  const lecture = existante ?? demarrer(url, false);
  lecture.lecteurs++;
  return new Promise<T>((resolve, reject) => {
    let parti = false;
    const quitter = () => {
      if (parti) return;
      parti = true;
      lecture.lecteurs--;
      if (lecture.lecteurs === 0 && !lecture.prechargee && LECTURES.get(url) === lecture) {
        LECTURES.delete(url);
        lecture.controleur.abort();
      }
      reject(new DOMException('Lecture abandonnée', 'AbortError'));
    };
    if (signal?.aborted) {
      quitter();
      return;
    }
    signal?.addEventListener('abort', quitter, { once: true });
    lecture.promesse.then(
      (valeur) => {
        if (parti) return;
        parti = true;
        signal?.removeEventListener('abort', quitter);
        lecture.lecteurs--;
        resolve(valeur as T);
      },
      (erreur: unknown) => {
        if (parti) return;
        parti = true;
        signal?.removeEventListener('abort', quitter);
        lecture.lecteurs--;
        reject(erreur);
      },
    );
  });
}

/**
 * Forgets every read, in flight or kept: called when the session ends (logout, or a 401), so that an answer read for
 * one account is never shown to the next one who logs in in the same tab within `GARDE_MS`.
 */
export function oublierLesLectures(): void {
  for (const lecture of LECTURES.values()) lecture.controleur.abort();
  LECTURES.clear();
}
