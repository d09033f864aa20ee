/**
 * The shape of a column's values, seen on a sample: what a header alone cannot say (« DT_DEP » is a date because
 * its cells are dates). Each shape is recognised only when every non-empty sampled cell has it.
 */
export type Forme = 'vide' | 'date' | 'insee' | 'liste_insee' | 'nur' | 'booleen' | 'petit_entier' | 'montant' | 'texte';

const DATE = /^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}\/[0-9]{2}\/[0-9]{4})( [0-9:]+)?$/;
const INSEE = /^[0-9][0-9AB][0-9]{3}$/;
const LISTE_INSEE = /^[0-9][0-9AB][0-9]{3}([|,; ]+[0-9][0-9AB][0-9]{3})+$/;
/** A NUR: a département, a year, a sequence — 11 to 18 characters, digits but for a letter or two. */
const NUR = /^[0-9]{2}[0-9A-Z]{9,16}$/;
const BOOLEEN = /^(0|1|oui|non|o|n|vrai|faux|true|false|x)$/i;
const PETIT_ENTIER = /^[0-9]{1,3}$/;
const MONTANT = /^-?[0-9][0-9  \u202f.]*([.,][0-9]{1,2})?( ?€)?$/;

export function formeDe(valeurs: readonly string[]): Forme {
  const v = valeurs.map((x) => x.trim()).filter((x) => x !== '');
  if (v.length === 0) return 'vide';
  const toutes = (re: RegExp) => v.every((x) => re.test(x));
  if (toutes(DATE)) return 'date';
  if (toutes(BOOLEEN) && new Set(v.map((x) => x.toLowerCase())).size <= 2) return 'booleen';
  if (toutes(INSEE) && v.some((x) => x.length === 5 && Number(x) >= 1000)) return 'insee';
  if (v.every((x) => INSEE.test(x) || LISTE_INSEE.test(x))) return 'liste_insee';
  if (toutes(NUR) && v.filter((x) => /^[0-9]+$/.test(x)).length >= v.length / 2) return 'nur';
  if (toutes(PETIT_ENTIER)) return 'petit_entier';
  if (toutes(MONTANT)) return 'montant';
  return 'texte';
}
