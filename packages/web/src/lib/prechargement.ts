import type { SessionApi, Territoire } from '@mixite/contract';
import { lectureContours, lecturesParc } from '../pages/parc/lectures-parc.ts';
import { lecture } from './client.ts';
import type { Requete } from './client.ts';
import { oublier, precharger } from './lectures.ts';

/**
 * Reads started as soon as the address is known (issue 14), instead of one after the other: before, the session was
 * asked once the whole application had loaded, the page's code once the session had come, the territory once the
 * layout was drawn and the page's figures once its code had arrived and it was drawn — four round trips in a row.
 * Here, from the application's first module: the session, the territory, the page's code and the figures that depend
 * on neither (the map's contours) at once, then, with the session and the territory (the year), the page's other
 * figures; the page then finds them ready (lib/lectures.ts, lib/use-api.ts). The territory is asked alongside the
 * session rather than after it: the session's round trip came before it on the page's longest chain (session,
 * territory, figures), and its continuation waited for the main thread, busy evaluating the application then.
 *
 * Only what the page would read itself, for the account the session names: a page absent from `PAGES` gets the
 * session and the territory ahead, and reads its figures as before. No React here: this runs before it is loaded.
 */

interface Contexte {
  readonly session: SessionApi;
  readonly territoire: Territoire;
  readonly params: URLSearchParams;
}

interface PagePrechargee {
  readonly correspond: (chemin: string) => boolean;
  /** The page's chunk: the same `import()` as its route's (App.tsx), so the chunk is asked for once. */
  readonly code: () => Promise<unknown>;
  /** The GET reads of the page's first render, the same URLs as the page's `useApi`. */
  readonly lectures: (contexte: Contexte) => readonly (Requete<unknown> | null)[];
  /** Those of them that need neither the session nor the territory: asked at once, with the session. */
  readonly lecturesImmediates?: () => readonly Requete<unknown>[];
}

export const chargerParcPage = () => import('../pages/ParcPage.tsx');

const PAGES: readonly PagePrechargee[] = [
  {
    correspond: (chemin) => chemin === '/parc',
    code: chargerParcPage,
    lectures: ({ session, territoire, params }) => {
      const l = lecturesParc(session, territoire, params.get('annee'));
      return [l.parc, l.residences, l.contours];
    },
    lecturesImmediates: () => [lectureContours()],
  },
];

const rien = () => undefined;

/**
 * Starts, for the address opened, the reads the application and its page will make. Errors are left to the readers:
 * a refused session (401) is taken by the layout, which shows the login; the reads asked alongside it are then
 * dropped, and nothing else is asked without a session.
 *
 * Settles once every read it will start has been asked: at once for a page without figures read ahead, after the
 * session and the territory for one with.
 */
export function prechargerAdresse(chemin: string, recherche: string): Promise<void> {
  const page = PAGES.find((p) => p.correspond(chemin));
  // The session first: the longest chain (session and territory, then figures) starts with it.
  const session = precharger(lecture('/api/session'));
  const territoire = lecture('/api/territoire');
  const immediates = [territoire, ...(page?.lecturesImmediates?.() ?? [])];
  for (const requete of immediates) precharger(requete).catch(rien);
  // The chunk's own failure (a version replaced under the tab) is handled when the route loads it (pages-differees.ts).
  page?.code().catch(rien);
  const demandees = session.then(
    (s) => precharger(territoire).then((t) => prechargerDonnees(page, { session: s, territoire: t, params: new URLSearchParams(recherche) }), rien),
    // No session (the login comes first): what was asked alongside it is refused, or read for nobody; dropped, so that
    // the account that logs in reads it anew.
    () => {
      for (const requete of immediates) oublier(requete);
    },
  );
  return page ? demandees : Promise.resolve();
}

/**
 * A page opened from the menu, the session and the territory known: its figures are asked while its code arrives.
 * A read the page has already started is joined, not repeated.
 */
export function prechargerPage(chemin: string, recherche: string, session: SessionApi, territoire: Territoire): void {
  prechargerDonnees(
    PAGES.find((p) => p.correspond(chemin)),
    { session, territoire, params: new URLSearchParams(recherche) },
  );
}

function prechargerDonnees(page: PagePrechargee | undefined, contexte: Contexte): void {
  for (const requete of page?.lectures(contexte) ?? []) if (requete) precharger(requete).catch(rien);
}
