import { existsSync } from 'node:fs';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import { UsageError, parse, wantsHelp } from '../args.ts';
import { ouvrirFichierBase } from '../store-source.ts';

export const JOURNAL_HELP = `Usage : mixite journal cle [--base FICHIER]
        mixite journal verifier [--base FICHIER]

Le journal d’audit est scellé par une clé gardée hors de la base (fichier créé avec les droits 0600) et par
un fichier d’ancrage à côté d’elle : une entrée modifiée, déplacée, ou retirée au début ou à la fin du journal
est détectée (docs/security.md).

  cle        crée la clé (et son fichier d’ancrage) si elle n’existe pas ; jamais remplacée
  verifier   vérifie tout le journal avec la clé et les ancrages (code de sortie 0 s’il est intact, 1 sinon)

Options :
  --base FICHIER   base DuckDB (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  -h, --aide       afficher cette aide

La clé est le fichier MIXITE_CLE_JOURNAL s’il est réglé, sinon <nom de la base>.cle-journal à côté de la
base ; le fichier d’ancrage porte le même nom suivi de .ancres. Sauvegardez-les à part de la base.`;

export async function journalCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { base: { type: 'string' } });
  if (wantsHelp(values)) {
    console.log(JOURNAL_HELP);
    return 0;
  }
  const [action, ...rest] = positionals;
  if (action !== 'cle' && action !== 'verifier') throw new UsageError(action ? `action inconnue « ${action} » (attendu : cle, verifier)` : 'indiquez une action : cle, verifier');
  if (rest.length > 0) throw new UsageError(`argument inattendu : ${rest[0]}`);
  const path = values.base ?? process.env['MIXITE_BASE'] ?? DEFAULT_STORE_PATH;
  // Loaded past the help, from their own modules (not the accounts' service and its repositories): start-up, issue 18.
  const { cheminCleJournal, creerCle, ouvrirScellement } = await import('@mixite/server/scellement-journal');
  const cle = cheminCleJournal(path);
  // A missing or unreadable key is a CleJournalError (configuration_invalide): said by the CLI's mapping, exit 1.
  if (action === 'cle') {
    creerCle(cle);
    console.error(`Clé du journal d’audit créée : ${cle} (et son fichier d’ancrage ${cle}.ancres). Sauvegardez-les à part de la base.`);
    return 0;
  }
  if (!existsSync(path)) {
    console.error(`Base introuvable : ${path}`);
    return 1;
  }
  const scellement = ouvrirScellement(cle, { creer: false });
  const store = await ouvrirFichierBase(path);
  try {
    const { JournalRepository, texteVerification } = await import('@mixite/server/journal');
    const verification = await new JournalRepository(store, scellement).verifier();
    console.log(`Journal d’audit : chaîne ${texteVerification(verification)}.`);
    return verification.intacte ? 0 : 1;
  } finally {
    store.close();
  }
}
