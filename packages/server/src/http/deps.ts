import type { Store } from '@mixite/data';
import { ConfigurationRepository } from '../repositories/configuration-repository.ts';
import { ImportsRepository } from '../repositories/imports-repository.ts';
import { IndicateursService } from '../services/indicateurs-service.ts';
import { SecretsRepository } from '../repositories/secrets-repository.ts';
import { SeuilsRepository } from '../repositories/seuils-repository.ts';
import { TerritoireRepository } from '../repositories/territoire-repository.ts';
import type { ReglesSecurite } from '../securite.ts';
import { Audit } from '../services/audit.ts';
import { Authentification } from '../services/authentification.ts';
import { Conservation } from '../services/conservation.ts';
import type { ScellementJournal } from '../services/scellement-journal.ts';
import { Uploads } from '../services/uploads.ts';
import { ReadWriteLock } from './lock.ts';

/** What the routes need: the repositories (all SQL), the lock that orders writes, the pending uploads, the security services. */
export interface Deps {
  readonly store: Store;
  readonly lock: ReadWriteLock;
  readonly regles: ReglesSecurite;
  readonly configuration: ConfigurationRepository;
  readonly imports: ImportsRepository;
  readonly seuils: SeuilsRepository;
  readonly territoire: TerritoireRepository;
  readonly indicateurs: IndicateursService;
  readonly uploads: Uploads;
  readonly audit: Audit;
  readonly auth: Authentification;
  readonly conservation: Conservation;
  /** The deployment's key of the NUR pseudonyms (takes the store alone the first time). */
  readonly clePseudonymes: () => Promise<string>;
}

/** `scellement`: the key and anchors of the audit log, kept outside the store (services/scellement-journal.ts). */
export function createDeps(store: Store, regles: ReglesSecurite, scellement: ScellementJournal): Deps {
  const lock = new ReadWriteLock();
  const configuration = new ConfigurationRepository(store);
  const territoire = new TerritoireRepository(store);
  const audit = new Audit(store, lock, regles.maintenant, scellement);
  const secrets = new SecretsRepository(store);
  // The pseudonym key is read (or created) once, alone on the store, the first time a list needs it.
  let cle: Promise<string> | null = null;
  const clePseudonymes = () => (cle ??= lock.alone(() => secrets.obtenir('pseudonymisation_nur', regles.maintenant())));
  return {
    store,
    lock,
    regles,
    configuration,
    imports: new ImportsRepository(store),
    seuils: new SeuilsRepository(store),
    territoire,
    indicateurs: new IndicateursService(store, lock, configuration, territoire, clePseudonymes),
    uploads: new Uploads(store, lock, regles),
    audit,
    auth: new Authentification(store, lock, audit, regles),
    conservation: new Conservation(store, lock, audit, regles),
    clePseudonymes,
  };
}
