import type { SessionApi } from '@mixite/server/contract';
import { createContext, useContext } from 'react';

/** The session of the layout: who is connected, with what rights (the server stays the guard), and how to leave. */
export interface EtatSession {
  readonly session: SessionApi;
  readonly deconnecter: () => Promise<void>;
}

export const SessionContext = createContext<EtatSession | null>(null);

export function useSession(): EtatSession {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession hors de SessionContext');
  return value;
}
