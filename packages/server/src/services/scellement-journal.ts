import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConfigurationInvalideError } from '@mixite/core';
import type { Store } from '@mixite/data';

/**
 * What makes the audit log tamper-evident although it lives in the store: a secret key and a register of anchors,
 * both OUTSIDE the store (docs/security.md, « Le journal d'audit »).
 * - The key (32 random bytes, hex, mode 0600) keys the HMAC of every entry: whoever can write the store but not read
 *   this file cannot recompute the chain after an edit.
 * - The anchors file (append-only, one JSON line per anchor, each line authenticated by the same key) records the
 *   head of the chain (id and hash of the last entry) at every start, after every entry the server writes alone,
 *   at checkpoints and at shutdown, and the floor of the chain (the hash the oldest entry follows) when a retention
 *   purge moves it: deleting the newest entries, or the oldest ones outside a purge, contradicts an anchor.
 */

/** The key file: MIXITE_CLE_JOURNAL, else `<store name>.cle-journal` beside the store file. */
export function cheminCleJournal(basePath: string, env: NodeJS.ProcessEnv = process.env): string {
  const reglage = env['MIXITE_CLE_JOURNAL']?.trim();
  if (reglage) return resolve(reglage);
  const base = resolve(basePath);
  return join(dirname(base), `${basename(base, extname(base))}.cle-journal`);
}

/** The anchors file sits beside the key: `<key file>.ancres`. */
export const cheminAncres = (cheminCle: string): string => `${cheminCle}.ancres`;

export type EvenementAncre = 'creation' | 'reprise' | 'demarrage' | 'ecriture' | 'point' | 'purge' | 'arret' | 'ligne de commande';

export interface Ancre {
  readonly date: string;
  readonly evenement: EvenementAncre;
  /** The last entry at that moment, null when the log was empty. */
  readonly tete: { readonly id: number; readonly empreinte: string } | null;
  /** Set when the floor moves legitimately (a retention purge, the first sealing): the hash the oldest entry follows. */
  readonly plancher: string | null;
}

export interface LectureAncres {
  readonly ancres: readonly Ancre[];
  /** Why the register cannot be trusted (a line edited or forged, the file gone), or null. */
  readonly probleme: string | null;
}

export interface RegistreAncres {
  /** Where the anchors are kept, for messages. */
  readonly emplacement: string;
  lire(): LectureAncres;
  ajouter(ancre: Omit<Ancre, 'date'>): void;
}

export interface ScellementJournal {
  readonly cle: Buffer;
  readonly ancres: RegistreAncres;
}

/** A missing, unreadable or too widely readable key: the deployment is misconfigured; the message says what to do. */
export class CleJournalError extends ConfigurationInvalideError {}

const mac = (cle: Buffer, texte: string): string => createHmac('sha256', cle).update(texte).digest('hex');

/** Anchors kept in memory, for a store in memory (tests): they live and die with it. */
class AncresEnMemoire implements RegistreAncres {
  readonly emplacement = 'mémoire';
  private readonly lignes: Ancre[] = [];
  constructor(private readonly maintenant: () => number) {}
  lire(): LectureAncres {
    return { ancres: [...this.lignes], probleme: null };
  }
  ajouter(ancre: Omit<Ancre, 'date'>): void {
    this.lignes.push({ date: new Date(this.maintenant()).toISOString(), ...ancre });
  }
}

/** The append-only anchors file; each line carries an HMAC of its content, so that it cannot be forged without the key. */
class AncresFichier implements RegistreAncres {
  constructor(
    readonly emplacement: string,
    private readonly cle: Buffer,
  ) {}

  /**
   * What this process has read and verified already: the file only grows, so each reading starts where the last
   * one stopped (a check of the log stays fast with a year of anchors). A shorter file is read again from its start;
   * a line edited in the part already read is caught by the next process (a restart, `mixite journal verifier`).
   */
  private lu: { octets: number; lignes: number; ancres: readonly Ancre[] } = { octets: 0, lignes: 0, ancres: [] };

  lire(): LectureAncres {
    let fd: number;
    try {
      fd = openSync(this.emplacement, 'r');
    } catch {
      return { ancres: [], probleme: `le fichier d’ancrage ${this.emplacement} a disparu` };
    }
    let nouveau: Buffer;
    try {
      const taille = fstatSync(fd).size;
      if (taille < this.lu.octets) this.lu = { octets: 0, lignes: 0, ancres: [] };
      nouveau = Buffer.alloc(taille - this.lu.octets);
      readSync(fd, nouveau, 0, nouveau.length, this.lu.octets);
    } finally {
      closeSync(fd);
    }
    // Whole lines only: a line being appended is read next time.
    const octets = nouveau.lastIndexOf(0x0a) + 1;
    const ancres = [...this.lu.ancres];
    let lignes = this.lu.lignes;
    for (const ligne of nouveau.subarray(0, octets).toString('utf8').split('\n').slice(0, -1)) {
      lignes += 1;
      if (ligne === '') continue;
      const lue = this.lireLigne(ligne);
      if (!lue) return { ancres, probleme: `la ligne ${lignes} du fichier d’ancrage ${this.emplacement} a été modifiée ou ajoutée sans la clé` };
      ancres.push(lue);
    }
    this.lu = { octets: this.lu.octets + octets, lignes, ancres };
    return { ancres, probleme: null };
  }

  private lireLigne(ligne: string): Ancre | null {
    try {
      const { mac: signature, ...ancre } = JSON.parse(ligne) as Ancre & { mac: string };
      const attendue = Buffer.from(mac(this.cle, JSON.stringify(ancre)), 'hex');
      const lue = Buffer.from(String(signature), 'hex');
      return lue.length === attendue.length && timingSafeEqual(lue, attendue) ? ancre : null;
    } catch {
      return null;
    }
  }

  ajouter(ancre: Omit<Ancre, 'date'>): void {
    // Never recreated here: a vanished file must stay reported (creerCle makes it, with the key).
    if (!existsSync(this.emplacement)) return;
    const complete: Ancre = { date: new Date().toISOString(), evenement: ancre.evenement, tete: ancre.tete, plancher: ancre.plancher };
    // One write of one line with O_APPEND: lines of a crash are whole or absent.
    appendFileSync(this.emplacement, `${JSON.stringify({ ...complete, mac: mac(this.cle, JSON.stringify(complete)) })}\n`, { mode: 0o600 });
  }
}

const EPHEMERES = new WeakMap<Store, ScellementJournal>();

/** A store in memory has a key and anchors in memory, shared by everything that writes its log in this process. */
export function scellementEphemere(store: Store, maintenant: () => number = Date.now): ScellementJournal {
  let scellement = EPHEMERES.get(store);
  if (!scellement) {
    scellement = { cle: randomBytes(32), ancres: new AncresEnMemoire(maintenant) };
    scellement.ancres.ajouter({ evenement: 'creation', tete: null, plancher: null });
    EPHEMERES.set(store, scellement);
  }
  return scellement;
}

/**
 * The key and anchors of a store file (`creer`: make them on first use, mode 0600). Without `creer` a missing key
 * is an error saying how to create it: a production server never makes one itself, so that a lost key is noticed
 * instead of silently replaced.
 */
export function ouvrirScellement(cheminCle: string, options: { creer: boolean }): ScellementJournal {
  if (!existsSync(cheminCle)) {
    if (!options.creer) {
      throw new CleJournalError(
        `La clé du journal d’audit est introuvable (${cheminCle}). Sur un nouveau serveur, elle est créée avec le premier ` +
          'administrateur (npx mixite utilisateur ajouter --email … --role admin) ou seule avec « npx mixite journal cle » ; ' +
          'si ce serveur avait déjà une clé, restaurez-la depuis votre sauvegarde (MIXITE_CLE_JOURNAL donne son chemin) : ' +
          'sans elle, le journal existant ne peut plus être vérifié.',
      );
    }
    creerCle(cheminCle);
  }
  const cle = lireCle(cheminCle);
  return { cle, ancres: new AncresFichier(cheminAncres(cheminCle), cle) };
}

/** The sealing of a store: in memory for `:memory:`, else the key file given by MIXITE_CLE_JOURNAL or beside the store. */
export function scellementDuStore(store: Store, options: { creer: boolean; env?: NodeJS.ProcessEnv }): ScellementJournal {
  if (store.path === ':memory:') return scellementEphemere(store);
  return ouvrirScellement(cheminCleJournal(store.path, options.env), options);
}

/** Creates the key (refused if it exists) and its anchors file with a first line. */
export function creerCle(cheminCle: string): void {
  mkdirSync(dirname(cheminCle), { recursive: true });
  const cle = randomBytes(32);
  let fd: number;
  try {
    fd = openSync(cheminCle, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CleJournalError(`la clé du journal existe déjà (${cheminCle}) : elle n’est jamais remplacée`);
    throw error;
  }
  try {
    writeSync(fd, `${cle.toString('hex')}\n`);
  } finally {
    closeSync(fd);
  }
  // The anchors file is born with the key (and only then): its later absence is a removal, reported as such.
  closeSync(openSync(cheminAncres(cheminCle), 'a', 0o600));
  new AncresFichier(cheminAncres(cheminCle), cle).ajouter({ evenement: 'creation', tete: null, plancher: null });
}

function lireCle(cheminCle: string): Buffer {
  let texte: string;
  let fd: number | null = null;
  try {
    fd = openSync(cheminCle, 'r');
    const mode = fstatSync(fd).mode;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new CleJournalError(`la clé du journal d’audit (${cheminCle}) est lisible par d’autres comptes du système : « chmod 600 ${cheminCle} », puis relancez`);
    }
    texte = readFileSync(fd, 'utf8').trim();
  } catch (error) {
    if (error instanceof CleJournalError) throw error;
    throw new CleJournalError(`la clé du journal d’audit (${cheminCle}) ne peut pas être lue (${(error as NodeJS.ErrnoException).code ?? 'erreur'}) : vérifiez ses droits`);
  } finally {
    if (fd !== null) closeSync(fd);
  }
  if (!/^[0-9a-f]{64}$/.test(texte)) throw new CleJournalError(`la clé du journal d’audit (${cheminCle}) est illisible : 64 caractères hexadécimaux attendus`);
  return Buffer.from(texte, 'hex');
}
