import type { Territoire } from '@mixite/contract';

/**
 * How the screens name a partner of the convention given by its code in the programme (instances' members, commitments,
 * attendance): `epci`, `etat`, `bailleur:ID`, `reservataire:ID`, `commune:INSEE` (core's programme/gouvernance.ts), or a
 * free name (« Action Logement », « Associations »). A housing officer reads « Essonne Habitat », not `bailleur:B1`: the
 * perimeter's name comes from the territory; a code the territory does not know is shown as typed.
 */
export function libellePartenaire(code: string, perimetres: Territoire['perimetres'] | undefined): string {
  if (code === 'epci') return 'EPCI';
  if (code === 'etat') return 'État';
  const separateur = code.indexOf(':');
  if (separateur <= 0) return code;
  const type = code.slice(0, separateur);
  const id = code.slice(separateur + 1);
  return perimetres?.[type]?.find((p) => p.id === id)?.libelle ?? code;
}
