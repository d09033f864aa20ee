import { BadRequestError } from './errors.ts';

/** The largest id a store holds (INTEGER columns): a longer number can name nothing and must not reach the database. */
const ID_MAX = 2_147_483_647;

/**
 * A path parameter that names a row by its number (`/api/imports/{id}`): digits only, 1 to 2 147 483 647. Anything
 * else — a huge number, a sign, a decimal, letters — is a 400 in French, never a database error.
 */
export function numeroDansLeChemin(texte: string, quoi: string): number {
  const n = /^[0-9]{1,10}$/.test(texte) ? Number(texte) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > ID_MAX) throw new BadRequestError(`${quoi} invalide : « ${texte.slice(0, 40)} » (attendu : un nombre entier positif)`);
  return n;
}

/** A year in a path or a query (`/api/bilan/{annee}/…`): four digits within [min, max]. */
export function anneeDuParametre(texte: string | undefined, min = 2000, max = 2099): number {
  const annee = texte !== undefined && /^[0-9]{4}$/.test(texte) ? Number(texte) : Number.NaN;
  if (!(annee >= min && annee <= max)) throw new BadRequestError(`année invalide : « ${(texte ?? '').slice(0, 40)} » (attendu : quatre chiffres entre ${min} et ${max})`);
  return annee;
}
