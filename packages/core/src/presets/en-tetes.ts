/**
 * Header recognition shared by the presets: real files spell one column several ways (`DEPCOM_CODE`, `DEPCOM`,
 * `depcom_red`, `"Depcom"`). A header is compared after normalisation: trimmed, quotes and BOM removed, lower case,
 * accents removed, a final `_red` (the « redressé » columns of the 2017 RPLS vintage) dropped.
 */
export function normaliserEnTete(entete: string): string {
  return entete
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/_red$/, '');
}

/** For each role, the normalised spellings that name it, in order of preference. */
export type Alias<R extends string> = Readonly<Record<R, readonly string[]>>;

/**
 * Which source header plays each role: the first alias found wins (a file holding both `DEPCOM_CODE` and `DEPCOM`
 * reads the first alias listed). Roles no header plays are absent.
 */
export function rolesDesEnTetes<R extends string>(entetes: readonly string[], alias: Alias<R>): Partial<Record<R, string>> {
  const parNom = new Map<string, string>();
  for (const e of entetes) {
    const n = normaliserEnTete(e);
    if (!parNom.has(n)) parNom.set(n, e);
  }
  const out: Partial<Record<R, string>> = {};
  for (const role of Object.keys(alias) as R[]) {
    const trouve = alias[role].find((a) => parNom.has(a));
    if (trouve !== undefined) out[role] = parNom.get(trouve) as string;
  }
  return out;
}
