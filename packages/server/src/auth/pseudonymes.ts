import { createHmac } from 'node:crypto';

/**
 * NUR pseudonyms for the roles that do not need the register's number (auth/roles.ts, NUR_EN_CLAIR): an HMAC-SHA-256
 * of the NUR under the deployment's secret key, cut to 80 bits. The same household gets the same pseudonym on every
 * screen and in every export of the deployment, so that a partner can count or follow it, but nobody without the key
 * can go back to the NUR, nor compute the pseudonym of a NUR they know.
 */
export const PREFIXE_PSEUDONYME = 'PS-';
const PSEUDONYME = /^PS-[0-9a-f]{20}$/;

export function pseudonymiser(cle: string, nur: string): string {
  return `${PREFIXE_PSEUDONYME}${createHmac('sha256', cle).update(nur).digest('hex').slice(0, 20)}`;
}

export const estPseudonyme = (value: string): boolean => PSEUDONYME.test(value);

/** A pseudonym in any case and with spaces around: how the export refuses a table of pseudonyms sent back by a client. */
const PSEUDONYME_TOUTE_CASSE = new RegExp(PSEUDONYME.source, 'i');
export const ressembleAUnPseudonyme = (value: string): boolean => PSEUDONYME_TOUTE_CASSE.test(value.trim());
