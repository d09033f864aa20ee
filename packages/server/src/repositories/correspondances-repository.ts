import type { Mapping, Store } from '@mixite/data';

export interface LigneCorrespondance {
  readonly nom: string;
  readonly fichiers: string;
  readonly auteur: string;
  readonly enregistre_le: string;
}

/** Header mappings saved under a name (migration 8), reused by the next upload of the same kind of extraction. */
export class CorrespondancesRepository {
  constructor(private readonly store: Store) {}

  async liste(): Promise<LigneCorrespondance[]> {
    const rows = await this.store.all<{ nom: string; contenu: string; auteur: string; enregistre_le: string }>(
      `SELECT nom, contenu::VARCHAR AS contenu, auteur, strftime(enregistre_le, '%Y-%m-%dT%H:%M:%S') AS enregistre_le FROM correspondances ORDER BY nom`,
    );
    return rows.map((r) => ({ nom: r.nom, fichiers: Object.keys((JSON.parse(r.contenu) as Mapping).fichiers).join(', '), auteur: r.auteur, enregistre_le: r.enregistre_le }));
  }

  async lire(nom: string): Promise<Mapping | null> {
    const [row] = await this.store.all<{ contenu: string }>(`SELECT contenu::VARCHAR AS contenu FROM correspondances WHERE nom = $1`, [nom]);
    return row ? (JSON.parse(row.contenu) as Mapping) : null;
  }

  /** Saves (or replaces) a mapping under its name. */
  async enregistrer(mapping: Mapping, auteur: string): Promise<void> {
    await this.store.run(
      `INSERT INTO correspondances (nom, contenu, auteur, enregistre_le) VALUES ($1, $2::JSON, $3, now()::TIMESTAMP)
       ON CONFLICT (nom) DO UPDATE SET contenu = excluded.contenu, auteur = excluded.auteur, enregistre_le = excluded.enregistre_le`,
      [mapping.nom, JSON.stringify(mapping), auteur],
    );
  }

  async supprimer(nom: string): Promise<void> {
    await this.store.run(`DELETE FROM correspondances WHERE nom = $1`, [nom]);
  }
}
