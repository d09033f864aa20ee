import type { Alias } from './en-tetes.ts';
import { rolesDesEnTetes } from './en-tetes.ts';

/**
 * The official list of the QPV 2024 (décret 2023-1314; ANCT): `code_qp;lib_qp;insee_reg;lib_reg;insee_dep;lib_dep;
 * insee_com;lib_com;siren_epci;lib_epci` (REAL-FORMATS.md). A QPV over several communes lists them in one cell
 * (`"02571; 02691"`); some exports drop leading zeros (`2571`). → `qpv.csv` restricted to the territory's communes.
 */

export const ROLES_QPV_LISTE = ['code', 'nom', 'departement', 'communes', 'noms_communes', 'siren_epci'] as const;
export type RoleQpvListe = (typeof ROLES_QPV_LISTE)[number];

export const ALIAS_QPV_LISTE: Alias<RoleQpvListe> = {
  code: ['code_qp', 'code_qpv'],
  nom: ['lib_qp', 'nom_qp'],
  departement: ['insee_dep', 'code_dep'],
  communes: ['insee_com', 'code_insee'],
  noms_communes: ['lib_com'],
  siren_epci: ['siren_epci'],
};

/** The header roles of a QPV list, or null when the headers are not those of the list. */
export function reconnaitreQpvListe(entetes: readonly string[]): Partial<Record<RoleQpvListe, string>> | null {
  const roles = rolesDesEnTetes(entetes, ALIAS_QPV_LISTE);
  // `code_qp` and `insee_com` are the list's own names (the canonical qpv.csv says code_qpv and code_insee).
  const propres = rolesDesEnTetes(entetes, { code: ['code_qp'], communes: ['insee_com'] } as Alias<'code' | 'communes'>);
  return propres.code !== undefined && propres.communes !== undefined && roles.nom !== undefined ? roles : null;
}

/** An INSEE code or département code with its leading zeros restored: `2571` → `02571`, `1` → `01`; others as read. */
export function restaurerZeros(code: string, longueur: 5 | 2): string {
  const t = code.trim().toUpperCase();
  return /^[0-9]+$/.test(t) && t.length < longueur ? t.padStart(longueur, '0') : t;
}

/** The communes of a cell of the list, in its order, zeros restored: `"02571; 02691"`, `2571,2691` → `02571`, `02691`. */
export function communesDeLaCellule(cellule: string): string[] {
  return cellule
    .split(/[;,/ ]+/)
    .map((c) => c.trim())
    .filter((c) => c !== '')
    .map((c) => restaurerZeros(c, 5));
}
