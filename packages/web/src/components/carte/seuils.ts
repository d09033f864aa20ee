/**
 * The classes of a rate's map around its target: below target − 10 pt, up to the target, up to target + 10 pt,
 * beyond; a rate without a target gets the map's default classes (four of equal width).
 */
export function seuilsAutourDeLaCible(cible: number | null): { seuils?: readonly number[] } {
  if (cible === null) return {};
  const seuils = [...new Set([Math.max(0, cible - 0.1), cible, Math.min(1, cible + 0.1)].map((s) => Math.round(s * 1000) / 1000))].sort((a, b) => a - b);
  return { seuils };
}
