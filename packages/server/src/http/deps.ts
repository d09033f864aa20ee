import type { Store } from '@mixite/data';
import { ConfigurationRepository } from '../repositories/configuration-repository.ts';
import { ImportsRepository } from '../repositories/imports-repository.ts';
import { IndicateursRepository } from '../repositories/indicateurs-repository.ts';
import { SeuilsRepository } from '../repositories/seuils-repository.ts';
import { TerritoireRepository } from '../repositories/territoire-repository.ts';
import { Uploads } from '../services/uploads.ts';
import { ReadWriteLock } from './lock.ts';

/** What the routes need: the repositories (all SQL), the lock that orders writes, the pending uploads. */
export interface Deps {
  readonly store: Store;
  readonly lock: ReadWriteLock;
  readonly configuration: ConfigurationRepository;
  readonly imports: ImportsRepository;
  readonly seuils: SeuilsRepository;
  readonly territoire: TerritoireRepository;
  readonly indicateurs: IndicateursRepository;
  readonly uploads: Uploads;
}

export function createDeps(store: Store): Deps {
  const lock = new ReadWriteLock();
  const configuration = new ConfigurationRepository(store);
  const territoire = new TerritoireRepository(store);
  return {
    store,
    lock,
    configuration,
    imports: new ImportsRepository(store),
    seuils: new SeuilsRepository(store),
    territoire,
    indicateurs: new IndicateursRepository(store, lock, configuration, territoire),
    uploads: new Uploads(store, lock),
  };
}
