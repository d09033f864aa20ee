import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The discovery file of a running server (decision 0007): `<base>.serveur`, beside the store the server holds open,
 * readable by the server's user only (0600). A command of the same user that finds it sends its work to the server
 * instead of opening the store (which DuckDB would refuse: one process at a time per file).
 */
export interface DecouverteServeur {
  readonly version: 1;
  /** The server's process: a file whose process is gone is stale (a crash) and ignored. */
  readonly pid: number;
  /** The loopback port of the internal channel (127.0.0.1 only, never the public port). */
  readonly port: number;
  /** The secret a command presents (`authorization: Bearer …`); 32 random bytes, new at every start. */
  readonly jeton: string;
  /** The store, absolute: a command checks the file speaks of its own base. */
  readonly base: string;
}

export const cheminDecouverte = (base: string): string => `${resolve(base)}.serveur`;

export const nouveauJeton = (): string => randomBytes(32).toString('base64url');

/** Written after the channel listens; replaces a stale file of a crashed server (DuckDB's lock says none other runs). */
export function ecrireDecouverte(decouverte: DecouverteServeur): void {
  const chemin = cheminDecouverte(decouverte.base);
  rmSync(chemin, { force: true });
  // Created 0600 from the start (flag wx: never through a link left there), then chmod against a lax umask.
  writeFileSync(chemin, `${JSON.stringify(decouverte)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(chemin, 0o600);
}

/** Removed at a graceful shutdown; only if it is still this process's (a newer server may have replaced it). */
export function retirerDecouverte(base: string, pid: number = process.pid): void {
  const chemin = cheminDecouverte(base);
  const actuelle = lireFichier(chemin);
  if (actuelle === null || actuelle === 'illisible' || actuelle.pid === pid) rmSync(chemin, { force: true });
}

export type EtatDecouverte =
  | { readonly etat: 'aucun' }
  /** The file exists but this user may not read it: the server runs under another account. */
  | { readonly etat: 'illisible'; readonly chemin: string }
  | { readonly etat: 'actif'; readonly decouverte: DecouverteServeur };

/** The live server of a store, if any: a missing, malformed or stale file (dead process) is none. */
export function serveurDeLaBase(base: string): EtatDecouverte {
  const chemin = cheminDecouverte(base);
  const lu = lireFichier(chemin);
  if (lu === null) return { etat: 'aucun' };
  if (lu === 'illisible') return { etat: 'illisible', chemin };
  if (lu.base !== resolve(base) || !processusVivant(lu.pid)) return { etat: 'aucun' };
  return { etat: 'actif', decouverte: lu };
}

function lireFichier(chemin: string): DecouverteServeur | 'illisible' | null {
  let texte: string;
  try {
    texte = readFileSync(chemin, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? 'illisible' : null;
  }
  try {
    const v = JSON.parse(texte) as Partial<DecouverteServeur>;
    if (v.version !== 1 || !Number.isInteger(v.pid) || !Number.isInteger(v.port) || typeof v.jeton !== 'string' || typeof v.base !== 'string') return null;
    return v as DecouverteServeur;
  } catch {
    // Half-written or damaged: as if absent (the command then opens the store itself, and DuckDB's lock decides).
    return null;
  }
}

function processusVivant(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
