import type { Acces, Portee, Role } from '../auth/roles.ts';
import { LIBELLES_ROLE } from '../auth/roles.ts';

/**
 * Who is looking. The authentication middleware (http/authentification.ts) puts one on every request, and every
 * repository call takes it: the repositories narrow household-level rows to its `portee`, mask small cells for
 * the roles that read published tables only, and pseudonymise the NUR for those that do not need it.
 */
export interface Viewer {
  /** Signs the changes (configuration history, imports): the account's name or e-mail. */
  readonly nom: string;
  readonly role: Role;
  /** null: the visitor of the demonstration mode, or the server itself. */
  readonly utilisateurId: number | null;
  readonly email: string | null;
  /** The account's perimeter as stored (bailleur id, réservataire id, INSEE code); null for the other roles. */
  readonly perimetre: string | null;
  readonly portee: Portee;
}

/** The name the audit log gives the viewer. */
export const identite = (viewer: Viewer): string => viewer.email ?? viewer.nom;

export const libelleRole = (viewer: Viewer): string => LIBELLES_ROLE[viewer.role];

/** Whether the viewer may read the household-level rows of the whole territory. */
export const seesEverything = (viewer: Viewer): boolean => viewer.portee.kind === 'territoire';

/** The server's own reads (warming the caches): never exposed to a request. */
export const SYSTEME: Viewer = { nom: 'système', role: 'admin', utilisateurId: null, email: null, perimetre: null, portee: { kind: 'territoire' } };

export const UTILISATEUR_DEMONSTRATION = 'démonstration';

export interface SessionCourante {
  readonly empreinte: string;
  readonly csrf: string;
  readonly expiration: number;
}

export type AppEnv = {
  Variables: {
    viewer: Viewer;
    /** null in demonstration mode without login. */
    session: SessionCourante | null;
    /** The token mutating requests must echo in `x-mixite-csrf`. */
    csrf: string;
    acces: Acces;
  };
};
