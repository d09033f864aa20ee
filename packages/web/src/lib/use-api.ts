import { useCallback, useEffect, useRef, useState } from 'react';
import { lire } from './api.ts';
import type { Requete } from './client.ts';
import { lireEnCommun, prendre, reponsePrete } from './lectures.ts';

export interface ApiState<T> {
  readonly data: T | null;
  readonly error: Error | null;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * Loads a declared GET route (`lecture(…)` of client.ts), again whenever its URL changes; `null` waits (a parameter
 * not yet known). The answer's type is the one the route declares.
 *
 * The read goes through lib/lectures.ts (issue 14): a component reading the same URL at the same time shares the
 * request, and an answer read ahead of the page (lib/prechargement.ts) is shown by the first render, without a
 * loading message. `reload` always asks the server again: it follows a change, which a read in flight may predate.
 */
export function useApi<T>(requete: Requete<T> | null): ApiState<T> {
  const path = requete?.url ?? null;
  // The URL whose answer, read ahead, the first render showed: its effect then has nothing to ask.
  const depuisPrechargement = useRef<string | null>(null);
  const [data, setData] = useState<T | null>(() => {
    const prete = path === null ? undefined : reponsePrete<T>({ url: path });
    if (!prete) return null;
    depuisPrechargement.current = path;
    return prete.valeur;
  });
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(path !== null && depuisPrechargement.current !== path);
  const [tick, setTick] = useState(0);
  // Set by `reload`: the next read asks the server, whatever is in flight or read ahead.
  const frais = useRef(false);
  const reload = useCallback(() => {
    frais.current = true;
    setTick((t) => t + 1);
  }, []);

  useEffect(() => {
    if (path === null) return;
    const rechargement = frais.current;
    frais.current = false;
    if (!rechargement && depuisPrechargement.current === path) {
      prendre({ url: path });
      return;
    }
    depuisPrechargement.current = null;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    (rechargement ? lire<T>({ url: path }, controller.signal) : lireEnCommun<T>({ url: path }, controller.signal))
      .then((value) => {
        setData(value);
        setLoading(false);
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(reason instanceof Error ? reason : new Error(String(reason)));
        setLoading(false);
      });
    return () => controller.abort();
  }, [path, tick]);

  return { data, error, loading, reload };
}
