/**
 * Who may do what: the roles of the accounts, their perimeters and their rights, declared once. The routes
 * require an access level (`Acces`), documented beside each operation in the OpenAPI document; the
 * repositories narrow household-level rows to the viewer's perimeter (`Portee`). docs/security.md explains
 * the model to a DPO.
 */

export const ROLES = ['admin', 'epci', 'etat', 'bailleur', 'reservataire', 'commune', 'lecteur'] as const;
export type Role = (typeof ROLES)[number];

export const LIBELLES_ROLE: Record<Role, string> = {
  admin: 'Administrateur',
  epci: 'EPCI (service habitat)',
  etat: 'État (préfecture, DDETS)',
  bailleur: 'Bailleur social',
  reservataire: 'Réservataire',
  commune: 'Commune',
  lecteur: 'Lecteur (agrégats publiés)',
};

/** What the perimeter of a scoped role designates; null for the roles that see the whole territory or no row. */
export type TypePerimetre = 'bailleur' | 'reservataire' | 'commune';

export const PERIMETRE_DU_ROLE: Record<Role, TypePerimetre | null> = {
  admin: null,
  epci: null,
  etat: null,
  bailleur: 'bailleur',
  reservataire: 'reservataire',
  commune: 'commune',
  lecteur: null,
};

export const LIBELLES_TYPE_PERIMETRE: Record<TypePerimetre, string> = {
  bailleur: 'identifiant du bailleur (bailleurs.csv)',
  reservataire: 'identifiant du réservataire (reservataires.csv)',
  commune: 'code INSEE de la commune',
};

/**
 * The access level an API operation requires (`x-mixite-acces` in the OpenAPI document):
 * - `public`: no session (login, health check, the OpenAPI document);
 * - `session`: any account — aggregates, with statistical secrecy for `lecteur`;
 * - `partenaire`: any account but `lecteur` (the history of the settings names its authors);
 * - `menages`: household-level rows, narrowed to the viewer's perimeter, each consultation written to the audit log;
 * - `modification`: imports and settings;
 * - `administration`: the audit log.
 */
export const ACCES = ['public', 'session', 'partenaire', 'menages', 'modification', 'administration'] as const;
export type Acces = (typeof ACCES)[number];

const PARTENAIRES: readonly Role[] = ['admin', 'epci', 'etat', 'bailleur', 'reservataire', 'commune'];

/** The roles granted each access level (besides `public`, open to anyone). */
export const ROLES_AUTORISES: Record<Exclude<Acces, 'public'>, readonly Role[]> = {
  session: ROLES,
  partenaire: PARTENAIRES,
  menages: PARTENAIRES,
  // The CIA's settings and data are the EPCI's: the State co-chairs the CIL but does not edit them here.
  modification: ['admin', 'epci'],
  administration: ['admin'],
};

export function autorise(role: Role, acces: Acces): boolean {
  return acces === 'public' || ROLES_AUTORISES[acces].includes(role);
}

/**
 * The NUR identifies a household in the national register. The roles that handle the household (the EPCI and
 * the State for the whole territory, the bailleur its tenants, the réservataire the candidates it designated)
 * read it; a commune reads a keyed pseudonym, stable across screens and exports but not reversible.
 */
export const NUR_EN_CLAIR: Record<Role, boolean> = {
  admin: true,
  epci: true,
  etat: true,
  bailleur: true,
  reservataire: true,
  commune: false,
  lecteur: false,
};

/** Published tables only: small cells masked (core/src/indicators/secret.ts). */
export const SECRET_STATISTIQUE: Record<Role, boolean> = {
  admin: false,
  epci: false,
  etat: false,
  bailleur: false,
  reservataire: false,
  commune: false,
  lecteur: true,
};

/** The household-level rows a viewer may read. */
export type Portee =
  | { readonly kind: 'territoire' }
  | { readonly kind: 'bailleur'; readonly id: string }
  | { readonly kind: 'reservataire'; readonly id: string }
  | { readonly kind: 'commune'; readonly id: string }
  | { readonly kind: 'aucune' };

export function porteeDe(role: Role, perimetre: string | null): Portee {
  switch (role) {
    case 'admin':
    case 'epci':
    case 'etat':
      return { kind: 'territoire' };
    case 'bailleur':
    case 'reservataire':
    case 'commune':
      // A scoped account without its perimeter sees no row rather than every row.
      return perimetre ? { kind: role, id: perimetre } : { kind: 'aucune' };
    case 'lecteur':
      return { kind: 'aucune' };
  }
}

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

const INSEE = /^(?:\d{5}|2[AB]\d{3})$/;

/** Checks the perimeter given with a role; returns a French message when it does not fit. */
export function problemePerimetre(role: Role, perimetre: string | null): string | null {
  const type = PERIMETRE_DU_ROLE[role];
  if (type === null) return perimetre ? `le rôle ${role} voit tout le territoire ou aucune ligne : il n’a pas de périmètre` : null;
  if (!perimetre) return `le rôle ${role} demande un périmètre : ${LIBELLES_TYPE_PERIMETRE[type]}`;
  if (type === 'commune' && !INSEE.test(perimetre)) return `code INSEE invalide « ${perimetre} » (5 caractères, ex. 91228)`;
  if (perimetre.length > 64 || /\p{Cc}/u.test(perimetre)) return `périmètre invalide « ${perimetre} »`;
  return null;
}
