import { existsSync } from 'node:fs';
import type { Store } from '@mixite/data';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import { LONGUEUR_MIN_MOT_DE_PASSE } from '@mixite/server/mot-de-passe';
import { LIBELLES_ROLE, LIBELLES_TYPE_PERIMETRE, PERIMETRE_DU_ROLE, ROLES } from '@mixite/server/roles';
import type { Utilisateur } from '@mixite/server/comptes';
import { UsageError, parse, wantsHelp } from '../args.ts';
import { entreeStandard, ouvrirFichierBase } from '../store-source.ts';

const ROLES_AIDE = ROLES.map((role) => {
  const type = PERIMETRE_DU_ROLE[role];
  return `  ${role.padEnd(13)} ${LIBELLES_ROLE[role]}${type ? ` — --perimetre : ${LIBELLES_TYPE_PERIMETRE[type]}` : ''}`;
}).join('\n');

export const UTILISATEUR_HELP = `Usage : mixite utilisateur ajouter --email ADRESSE --role ROLE [--perimetre ID] [--nom NOM] [--mot-de-passe-stdin]
        mixite utilisateur liste
        mixite utilisateur mot-de-passe --email ADRESSE [--mot-de-passe-stdin]
        mixite utilisateur desactiver --email ADRESSE

Gère les comptes de l’application web (mode production). Il n’y a pas de mot de passe par défaut :
le premier compte administrateur se crée ici, sur le serveur. Si Mixité est démarré sur la même base,
la commande passe par lui (même compte du système) ; sinon elle ouvre la base elle-même.

Rôles :
${ROLES_AIDE}

Options :
  --email ADRESSE        adresse e-mail, identifiant de connexion (sans distinction de casse)
  --role ROLE            un des rôles ci-dessus
  --perimetre ID         pour bailleur, reservataire et commune : ce que le compte voit des ménages
  --nom NOM              nom affiché et signant les modifications (défaut : l’adresse)
  --mot-de-passe-stdin   lire le mot de passe sur l’entrée standard (première ligne) ; sinon il est
                         demandé deux fois au terminal, sans écho ; au moins ${LONGUEUR_MIN_MOT_DE_PASSE} caractères
  --base FICHIER         base DuckDB (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  -h, --aide             afficher cette aide`;

const SOUS_COMMANDES = ['ajouter', 'liste', 'mot-de-passe', 'desactiver'] as const;

export async function utilisateurCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    email: { type: 'string' },
    role: { type: 'string' },
    perimetre: { type: 'string' },
    nom: { type: 'string' },
    'mot-de-passe-stdin': { type: 'boolean' },
    base: { type: 'string' },
  });
  if (wantsHelp(values)) {
    console.log(UTILISATEUR_HELP);
    return 0;
  }
  const [action, ...rest] = positionals;
  if (!action) throw new UsageError(`indiquez une action : ${SOUS_COMMANDES.join(', ')}`);
  if (!(SOUS_COMMANDES as readonly string[]).includes(action)) throw new UsageError(`action inconnue « ${action} » (attendu : ${SOUS_COMMANDES.join(', ')})`);
  if (rest.length > 0) throw new UsageError(`argument inattendu : ${rest[0]}`);
  const path = values.base ?? process.env['MIXITE_BASE'] ?? DEFAULT_STORE_PATH;
  if (action !== 'ajouter' && !existsSync(path)) {
    console.error(`Base introuvable : ${path}`);
    return 1;
  }
  if ((action === 'ajouter' || action === 'mot-de-passe' || action === 'desactiver') && !values.email) throw new UsageError('indiquez l’adresse avec --email');
  if (action === 'ajouter' && !values.role) throw new UsageError(`indiquez le rôle avec --role (${ROLES.join(', ')})`);
  // The password is asked before the store is opened: the store stays locked for as short a time as possible.
  const motDePasse = action === 'ajouter' || action === 'mot-de-passe' ? await lireMotDePasse(values['mot-de-passe-stdin'] ?? false) : null;
  if (motDePasse === null && (action === 'ajouter' || action === 'mot-de-passe')) return 1;

  let store: Store;
  try {
    store = await ouvrirFichierBase(path);
  } catch (error) {
    if (/lock/i.test((error as Error).message)) {
      console.error(`La base ${path} est ouverte par un autre programme (Mixité est-il démarré ?) : arrêtez-le, puis relancez la commande.`);
      return 1;
    }
    throw error;
  }
  try {
    // Loaded past the help, with the store: the accounts' repositories (start-up, issue 18).
    const { Comptes, PREMIER_ADMINISTRATEUR } = await import('@mixite/server/comptes');
    const comptes = new Comptes(store);
    switch (action) {
      case 'ajouter': {
        const { utilisateur, avertissement } = await comptes.ajouter({
          email: values.email as string,
          role: values.role as string,
          perimetre: values.perimetre ?? null,
          nom: values.nom ?? null,
          motDePasse: motDePasse as string,
        });
        console.error(`Compte créé : ${utilisateur.email} (${LIBELLES_ROLE[utilisateur.role]}${utilisateur.perimetre ? `, périmètre ${utilisateur.perimetre}` : ''}).`);
        if (avertissement) console.error(`Attention : ${avertissement}.`);
        return 0;
      }
      case 'liste': {
        const liste = await comptes.lister();
        if (liste.length === 0) {
          console.error('Aucun compte.');
          console.error(PREMIER_ADMINISTRATEUR);
          return 0;
        }
        process.stdout.write(tableau(liste));
        if (!liste.some((u) => u.role === 'admin' && u.actif)) console.error(`\n${PREMIER_ADMINISTRATEUR}`);
        return 0;
      }
      case 'mot-de-passe':
        await comptes.changerMotDePasse(values.email as string, motDePasse as string);
        console.error(`Mot de passe changé pour ${values.email} ; ses sessions sont fermées.`);
        return 0;
      case 'desactiver':
        await comptes.desactiver(values.email as string);
        console.error(`Compte désactivé : ${values.email} ; ses sessions sont fermées, son historique reste au journal.`);
        return 0;
      default:
        return 2;
    }
  } finally {
    store.close();
  }
}

function tableau(liste: readonly Utilisateur[]): string {
  const rows = [
    ['Adresse', 'Nom', 'Rôle', 'Périmètre', 'Actif', 'Créé le (UTC)'],
    ...liste.map((u) => [u.email, u.nom ?? '', LIBELLES_ROLE[u.role] ?? u.role, u.perimetre ?? '', u.actif ? 'oui' : 'non', u.date_creation.replace('T', ' ').replace('Z', '')]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length))) ?? [];
  return `${rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')}\n`;
}

/** The password: the first line of stdin, or typed twice at the terminal without echo. Null (with a message) when it cannot be read. */
export async function lireMotDePasse(depuisStdin: boolean): Promise<string | null> {
  if (depuisStdin) {
    const text = await entreeStandard();
    const ligne = text.split(/\r?\n/)[0] ?? '';
    if (!ligne) {
      console.error('Aucun mot de passe reçu sur l’entrée standard.');
      return null;
    }
    return ligne;
  }
  if (!process.stdin.isTTY) {
    console.error('Pas de terminal pour saisir le mot de passe : passez-le sur l’entrée standard avec --mot-de-passe-stdin.');
    return null;
  }
  const premier = await saisieMasquee(`Mot de passe (au moins ${LONGUEUR_MIN_MOT_DE_PASSE} caractères) : `);
  const second = await saisieMasquee('Confirmez le mot de passe : ');
  if (premier !== second) {
    console.error('Les deux saisies diffèrent.');
    return null;
  }
  return premier;
}

/** Reads a line at the terminal in raw mode, echoing nothing. */
function saisieMasquee(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new Error('saisie interrompue'));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    stdin.on('data', onData);
  });
}
