import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

/**
 * Passwords hashed with scrypt (Node's crypto, memory-hard, no native addon to build). The stored form names its
 * parameters — `scrypt$N$r$p$salt$hash`, base64 — so that they can be raised later: a hash with older parameters
 * still verifies.
 */

/** N = 2^15, r = 8: 32 MiB and some 50–100 ms per hash, OWASP's recommended minimum for scrypt. */
const PARAMETRES = { N: 2 ** 15, r: 8, p: 1 } as const;
const LONGUEUR = 64;
export const LONGUEUR_MIN_MOT_DE_PASSE = 12;
export const LONGUEUR_MAX_MOT_DE_PASSE = 256;

function scryptAsync(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const maxmem = (N: number, r: number) => 256 * N * r;

export async function hacherMotDePasse(motDePasse: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = PARAMETRES;
  const hash = await scryptAsync(motDePasse.normalize('NFC'), salt, LONGUEUR, { N, r, p, maxmem: maxmem(N, r) });
  return ['scrypt', N, r, p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Constant-time comparison; false for any malformed stored value. */
export async function verifierMotDePasse(motDePasse: string, stocke: string): Promise<boolean> {
  const parts = stocke.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4] as string, 'base64');
  const attendu = Buffer.from(parts[5] as string, 'base64');
  if (attendu.length < 16) return false;
  const hash = await scryptAsync(motDePasse.normalize('NFC'), salt, attendu.length, { N, r, p, maxmem: maxmem(N, r) });
  return timingSafeEqual(hash, attendu);
}

/**
 * A hash of a random password, verified when the e-mail is unknown, so that an unknown account costs as much
 * time as a wrong password and the response time does not tell which accounts exist.
 */
let leurre: Promise<string> | null = null;
export function hashLeurre(): Promise<string> {
  leurre ??= hacherMotDePasse(randomBytes(24).toString('base64'));
  return leurre;
}

/** The rules a new password must follow (length only: NIST SP 800-63B and the CNIL favour length over composition). */
export function problemeMotDePasse(motDePasse: string): string | null {
  if ([...motDePasse].length < LONGUEUR_MIN_MOT_DE_PASSE) return `le mot de passe doit compter au moins ${LONGUEUR_MIN_MOT_DE_PASSE} caractères`;
  if (motDePasse.length > LONGUEUR_MAX_MOT_DE_PASSE) return `le mot de passe doit compter au plus ${LONGUEUR_MAX_MOT_DE_PASSE} caractères`;
  return null;
}
