import type { ImportReport, Store } from '@mixite/data';
import type { FileName } from '@mixite/core';
import { FILE_NAMES } from '@mixite/core';
import type { Viewer } from '../http/viewer.ts';

export interface ImportHistoryRow {
  readonly id: number;
  readonly date_import: string;
  readonly statut: string;
  readonly fichiers: string;
  readonly lignes: number;
  readonly avertissements: number;
  /** Who imported; empty for reports written before the report kept it. */
  readonly auteur: string;
}

const STATUTS: Record<string, string> = { reussi: 'réussi', echoue: 'échoué' };

interface ImportRow {
  id: number;
  date_import: string;
  statut: string;
  fichiers: string;
  rapport: string;
}

/** The journal of imports written by the importer (successful imports only: a rejected one writes nothing). */
export class ImportsRepository {
  constructor(private readonly store: Store) {}

  async history(_viewer: Viewer): Promise<ImportHistoryRow[]> {
    const rows = await this.store.all<ImportRow>(
      `SELECT id, strftime(date_import, '%Y-%m-%dT%H:%M:%S') AS date_import, statut, fichiers::VARCHAR AS fichiers, rapport::VARCHAR AS rapport
         FROM imports ORDER BY id DESC`,
    );
    return rows.map((row) => {
      const rapport = JSON.parse(row.rapport) as ImportReport;
      return {
        id: row.id,
        date_import: row.date_import,
        statut: STATUTS[row.statut] ?? row.statut,
        fichiers: (JSON.parse(row.fichiers) as string[]).join(', '),
        lignes: rapport.fichiers.reduce((sum, f) => sum + f.lignesChargees, 0),
        avertissements: rapport.avertissements.length,
        auteur: rapport.auteur ?? '',
      };
    });
  }

  async report(_viewer: Viewer, id: number): Promise<ImportReport | null> {
    const [row] = await this.store.all<{ rapport: string }>(`SELECT rapport::VARCHAR AS rapport FROM imports WHERE id = $1`, [id]);
    return row ? (JSON.parse(row.rapport) as ImportReport) : null;
  }

  /** Rows each table of the format holds now: what a re-import of its file would replace. */
  async lignesParTable(): Promise<Record<FileName, number>> {
    const [row] = await this.store.all<Record<FileName, number>>(`SELECT ${FILE_NAMES.map((f) => `(SELECT count(*) FROM ${f})::INTEGER AS ${f}`).join(', ')}`);
    return row ?? (Object.fromEntries(FILE_NAMES.map((f) => [f, 0])) as Record<FileName, number>);
  }

  /** Whether the store holds a territory: the first start imports the demo territory when it does not. */
  async isEmpty(): Promise<boolean> {
    const [row] = await this.store.all<{ n: number }>(`SELECT (SELECT count(*) FROM communes)::INTEGER AS n`);
    return (row?.n ?? 0) === 0;
  }
}
