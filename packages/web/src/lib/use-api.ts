import { useCallback, useEffect, useState } from 'react';
import { lire } from './api.ts';
import type { Requete } from './client.ts';

export interface ApiState<T> {
  readonly data: T | null;
  readonly error: Error | null;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * Loads a declared GET route (`lecture(…)` of client.ts), again whenever its URL changes; `null` waits (a parameter
 * not yet known). The answer's type is the one the route declares.
 */
export function useApi<T>(requete: Requete<T> | null): ApiState<T> {
  const path = requete?.url ?? null;
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    lire<T>({ url: path }, controller.signal)
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
