/**
 * The database's failures in French, with what to do. DuckDB reports every error as a plain `Error` whose message
 * starts with its type (« IO Error: … », « Constraint Error: … », « Out of Memory Error: … »…) and may quote a value
 * of a row: the message is read here to classify the error, and never shown nor logged (the caller logs the kind).
 * The file system's own errors (ENOSPC, EACCES…) are classified the same way.
 */

export type GenreErreurBase =
  | 'verrou'
  | 'disque_plein'
  | 'droits'
  | 'fichier_invalide'
  | 'entree_sortie'
  | 'base_invalidee'
  | 'memoire'
  | 'contrainte'
  | 'conflit'
  | 'interrompue';

export interface ErreurBaseTraduite {
  readonly genre: GenreErreurBase;
  /** French, whole sentences: what happened and what to do; no text of the database. */
  readonly message: string;
  /** The HTTP status a server answers with. */
  readonly statut: 409 | 503 | 507;
}

const RIEN_ENREGISTRE = 'l’opération en cours n’a pas été enregistrée (la base garde son état d’avant)';

/** The error's French translation when it comes from the database or its disk, else null (a fault of the program). */
export function traduireErreurBase(error: unknown, base?: string): ErreurBaseTraduite | null {
  if (!(error instanceof Error)) return null;
  const texte = error.message;
  const code = (error as NodeJS.ErrnoException).code;
  const fichier = base && base !== ':memory:' ? ` ${base}` : '';
  // Out of disk space first: DuckDB reports it as an IO error, or as a fatal error that quotes it.
  if (code === 'ENOSPC' || /No space left on device|disk is full/i.test(texte)) {
    return {
      genre: 'disque_plein',
      statut: 507,
      message: `Le disque de la base${fichier} est plein : ${RIEN_ENREGISTRE}. Libérez de la place sur ce disque (ou agrandissez-le), puis redémarrez Mixité et recommencez.`,
    };
  }
  if (/^FATAL Error|database has been invalidated/i.test(texte)) {
    return {
      genre: 'base_invalidee',
      statut: 503,
      message: `La base${fichier} a rencontré une erreur grave d’écriture et n’accepte plus de travail : ${RIEN_ENREGISTRE}. Vérifiez le disque (place libre, erreurs), puis redémarrez Mixité.`,
    };
  }
  if (/Could not set lock on file|Conflicting lock is held/i.test(texte)) {
    const pid = /\(PID (\d+)\)/.exec(texte)?.[1];
    return {
      genre: 'verrou',
      statut: 503,
      message:
        `La base${fichier} est ouverte par un autre processus${pid ? ` (n° ${pid})` : ''} — Mixité déjà démarré, ou une autre commande mixite en cours : ` +
        'la base n’accepte qu’un programme à la fois. Arrêtez-le (ou attendez qu’il finisse), puis relancez la commande.',
    };
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || /Permission denied|Read-only file system|read-only mode/i.test(texte)) {
    return {
      genre: 'droits',
      statut: 503,
      message: `Mixité ne peut pas écrire la base${fichier} (droits insuffisants, ou disque en lecture seule) : ${RIEN_ENREGISTRE}. Donnez au compte qui lance Mixité le droit d’écrire dans le dossier de la base, puis recommencez.`,
    };
  }
  if (/not a valid DuckDB database file|Is a directory|unable to open database file|database file .* (is|was) (corrupt|created by)/i.test(texte) || code === 'EISDIR' || code === 'ENOTDIR') {
    return {
      genre: 'fichier_invalide',
      statut: 503,
      message: `Le fichier${fichier || ' de la base'} n’est pas une base Mixité lisible : vérifiez le chemin donné par --base ou MIXITE_BASE (un fichier .duckdb créé par Mixité), ou restaurez la base depuis une sauvegarde.`,
    };
  }
  if (/^Out of Memory Error|failed to allocate|std::bad_alloc/i.test(texte) || code === 'ERR_MEMORY_ALLOCATION_FAILED') {
    return {
      genre: 'memoire',
      statut: 503,
      message: `Mémoire insuffisante pour cette opération : ${RIEN_ENREGISTRE}. Réessayez quand le serveur est moins chargé, avec un fichier plus petit, ou donnez plus de mémoire au serveur.`,
    };
  }
  if (/^Constraint Error/i.test(texte)) {
    return {
      genre: 'contrainte',
      statut: 409,
      message: `La base a refusé une écriture qui aurait créé un doublon ou une référence incohérente : ${RIEN_ENREGISTRE}. Vérifiez les identifiants des données envoyées, puis recommencez.`,
    };
  }
  if (/^TransactionContext Error|write-write conflict|Conflict on (tuple|update)|cannot (commit|rollback)/i.test(texte)) {
    return {
      genre: 'conflit',
      statut: 409,
      message: `Une autre opération écrivait dans la base au même moment, ou l’écriture n’a pas pu être validée : ${RIEN_ENREGISTRE}. Recommencez ; si l’erreur revient, vérifiez la place libre sur le disque de la base.`,
    };
  }
  if (/^INTERRUPT Error|Interrupted!/i.test(texte)) {
    return { genre: 'interrompue', statut: 503, message: `L’opération a été interrompue (arrêt de Mixité) : ${RIEN_ENREGISTRE}. Recommencez quand Mixité est de nouveau démarré.` };
  }
  if (/^IO Error/i.test(texte) || code === 'EIO') {
    return {
      genre: 'entree_sortie',
      statut: 503,
      message: `Erreur de lecture ou d’écriture sur le disque de la base${fichier} : ${RIEN_ENREGISTRE}. Vérifiez le disque (place libre, droits, erreurs du système), puis recommencez.`,
    };
  }
  return null;
}
