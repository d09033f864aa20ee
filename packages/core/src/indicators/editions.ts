import type { PublishedIndicatorRow } from './secret.ts';
import type { IndicatorRow } from './targets.ts';

/**
 * The two editions of a published table or bilan (issue 12, item 2):
 * - `partenaires`: for the members of the CIL (the partner accounts: EPCI, State, bailleurs, réservataires,
 *   communes, and the administrator) — no statistical secrecy, every table and page marked « Diffusion restreinte
 *   aux membres de la CIL »; aggregates are shared among partners (docs/security.md);
 * - `public`: statistical secrecy applied (secret.ts, secret-demande.ts); the only edition of the `lecteur` role.
 * The default, where nobody chose, is `public`: a file that leaves Mixité without a choice is safe to circulate.
 */
export const EDITIONS = ['partenaires', 'public'] as const;
export type Edition = (typeof EDITIONS)[number];

export const EDITION_PAR_DEFAUT: Edition = 'public';

export const isEdition = (v: string): v is Edition => (EDITIONS as readonly string[]).includes(v);

/** The mark of every table and page of the partners' edition. */
export const MENTION_DIFFUSION_RESTREINTE = 'Diffusion restreinte aux membres de la CIL';

export const LIBELLES_EDITION: Record<Edition, string> = {
  partenaires: 'Édition partenaires (membres de la CIL, sans secret statistique)',
  public: 'Édition publique (secret statistique appliqué)',
};

/** The partners' edition of indicator rows: every count published, nothing masked. */
export function sansSecret(rows: readonly IndicatorRow[]): PublishedIndicatorRow[] {
  return rows.map((r) => ({ ...r, secret: null }));
}
