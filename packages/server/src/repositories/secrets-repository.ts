import { randomBytes } from 'node:crypto';
import type { Store } from '@mixite/data';
import { versSql } from './temps.ts';

/**
 * Secrets of the deployment (table `secrets`), created at random on first use: the key of the NUR pseudonyms.
 * They live in the store because whoever holds the store already holds the NURs themselves.
 */
export class SecretsRepository {
  constructor(private readonly store: Store) {}

  async obtenir(cle: string, maintenant: number): Promise<string> {
    const [row] = await this.store.all<{ valeur: string }>(`SELECT valeur FROM secrets WHERE cle = $1`, [cle]);
    if (row) return row.valeur;
    const valeur = randomBytes(32).toString('base64');
    await this.store.run(`INSERT INTO secrets VALUES ($1, $2, $3::TIMESTAMP) ON CONFLICT DO NOTHING`, [cle, valeur, versSql(maintenant)]);
    const [stored] = await this.store.all<{ valeur: string }>(`SELECT valeur FROM secrets WHERE cle = $1`, [cle]);
    return (stored as { valeur: string }).valeur;
  }
}
