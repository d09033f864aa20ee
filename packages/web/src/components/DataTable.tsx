import { Button, Group, Progress, Table, Text } from '@mantine/core';
import type { Colonne, DemandeExport, Tableau } from '@mixite/server/contract';
import type { ReactNode } from 'react';
import { useMemo, useState } from 'react';
import type { ProgressionExport } from '../lib/api.ts';
import { downloadQuery, downloadTable } from '../lib/api.ts';
import { formatBooleen, formatDate, formatEntier, formatNombre, formatTaux } from '../lib/format.ts';

export interface ColonneAffichee<L> {
  readonly cle: string;
  readonly libelle: string;
  /** Content of the cell; the raw value is what sorting and export use. */
  readonly rendu: (ligne: L) => ReactNode;
}

interface Props<L extends object> {
  readonly tableau: Tableau<L>;
  /** The table's visible title (its caption), also the name of the exported file. */
  readonly legende: string;
  /** Cells shown differently from their type's default (a badge, a link). */
  readonly rendus?: Partial<Record<string, (ligne: L) => ReactNode>>;
  /** Columns only on screen (a link to a detail page): never exported, never sorted. */
  readonly actions?: readonly ColonneAffichee<L>[];
  /** Columns of the table not shown (kept in the export). */
  readonly masquees?: readonly string[];
  readonly triInitial?: { cle: string; sens: 'asc' | 'desc' } | null;
  /** Rows shown at first; a button shows more. The export always has every row. */
  readonly pas?: number;
  readonly vide?: string;
  /**
   * A household list: exported by its query, the server reading every row itself (scoped, pseudonymised, logged),
   * not from the rows on screen, which the server refuses to export.
   */
  readonly exportServeur?: Omit<DemandeExport, 'format'>;
}

type Sens = 'asc' | 'desc';

/**
 * A table as the user reads it: a caption, headers that sort (aria-sort), numbers aligned right, and the two
 * export buttons, which send the rows in the order on screen (a household list is asked of the server by its query).
 */
export function DataTable<L extends object>({ tableau, legende, rendus = {}, actions = [], masquees = [], triInitial = null, pas = 100, vide, exportServeur }: Props<L>) {
  const [tri, setTri] = useState<{ cle: string; sens: Sens } | null>(triInitial);
  const [limite, setLimite] = useState(pas);
  const [exportEnCours, setExportEnCours] = useState<string | null>(null);
  const [erreurExport, setErreurExport] = useState<string | null>(null);
  const [progression, setProgression] = useState<ProgressionExport | null>(null);
  const colonnes = tableau.colonnes.filter((c) => !masquees.includes(c.cle));

  const lignes = useMemo(() => {
    if (!tri) return tableau.lignes;
    const colonne = tableau.colonnes.find((c) => c.cle === tri.cle);
    if (!colonne) return tableau.lignes;
    return [...tableau.lignes].sort((a, b) => compare(value(a, tri.cle), value(b, tri.cle), tri.sens));
  }, [tableau, tri]);

  const exporter = async (format: 'csv' | 'xlsx') => {
    setExportEnCours(format);
    setErreurExport(null);
    try {
      if (exportServeur) {
        await downloadQuery({ ...exportServeur, format } as DemandeExport, setProgression);
      } else {
        // Only the table's columns travel: rows may carry what the screen needs besides (a source row for links).
        const cles = tableau.colonnes.map((c) => c.cle);
        const brutes = lignes.map((l) => Object.fromEntries(cles.map((cle) => [cle, value(l, cle) ?? null])));
        await downloadTable({ titre: legende, colonnes: tableau.colonnes, lignes: brutes }, format);
      }
    } catch (error) {
      setErreurExport((error as Error).message);
    } finally {
      setExportEnCours(null);
      setProgression(null);
    }
  };

  const trier = (cle: string) =>
    setTri((current) => (current?.cle === cle ? { cle, sens: current.sens === 'asc' ? 'desc' : 'asc' } : { cle, sens: defaultSens(tableau.colonnes, cle) }));

  return (
    <div>
      <Group justify="flex-end" gap="xs" mb={4}>
        <Button size="compact-sm" variant="default" onClick={() => void exporter('csv')} loading={exportEnCours === 'csv'} aria-label={`Exporter « ${legende} » en CSV`}>
          Exporter en CSV
        </Button>
        <Button size="compact-sm" variant="default" onClick={() => void exporter('xlsx')} loading={exportEnCours === 'xlsx'} aria-label={`Exporter « ${legende} » en XLSX`}>
          Exporter en XLSX
        </Button>
      </Group>
      {progression ? (
        <div role="status" aria-live="polite">
          <Text size="sm">
            Export en cours : {formatEntier(progression.ecrites)} lignes écrites sur {formatEntier(progression.total)}. Le fichier se téléchargera à la fin.
          </Text>
          <Progress value={progression.total > 0 ? (100 * progression.ecrites) / progression.total : 0} aria-label="Avancement de l’export" mb={4} />
        </div>
      ) : null}
      {erreurExport ? (
        <Text c="red.9" size="sm" role="alert">
          Export impossible : {erreurExport}
        </Text>
      ) : null}
      <div className="tableau-conteneur">
        <Table striped highlightOnHover withTableBorder captionSide="top" verticalSpacing={6}>
          <Table.Caption style={{ textAlign: 'left', fontWeight: 600, color: 'var(--mantine-color-text)' }}>{legende}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {colonnes.map((c) => {
                const actif = tri?.cle === c.cle;
                return (
                  <Table.Th key={c.cle} scope="col" aria-sort={actif ? (tri.sens === 'asc' ? 'ascending' : 'descending') : 'none'} className={numeric(c) ? 'nombre' : undefined}>
                    <button type="button" onClick={() => trier(c.cle)} title={`Trier par ${c.libelle}`}>
                      {c.libelle}
                      <span aria-hidden="true">{actif ? (tri.sens === 'asc' ? '▲' : '▼') : '↕'}</span>
                    </button>
                  </Table.Th>
                );
              })}
              {actions.map((a) => (
                <Table.Th key={a.cle} scope="col">
                  {a.libelle}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lignes.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={colonnes.length + actions.length}>{vide ?? 'Aucune ligne.'}</Table.Td>
              </Table.Tr>
            ) : null}
            {lignes.slice(0, limite).map((ligne, i) => (
              <tr key={i} {...LIGNE}>
                {colonnes.map((c) => {
                  const rendu = rendus[c.cle];
                  return (
                    <td key={c.cle} className={numeric(c) ? CELLULE_NOMBRE : CELLULE}>
                      {rendu ? rendu(ligne) : display(c, value(ligne, c.cle))}
                    </td>
                  );
                })}
                {actions.map((a) => (
                  <td key={a.cle} className={CELLULE}>
                    {a.rendu(ligne)}
                  </td>
                ))}
              </tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      {lignes.length > limite ? (
        <Group justify="center" mt="xs">
          <Text size="sm">
            {formatEntier(limite)} lignes affichées sur {formatEntier(lignes.length)} (l’export contient toutes les lignes).
          </Text>
          <Button size="compact-sm" variant="default" onClick={() => setLimite((l) => l + pas * 5)}>
            Afficher plus de lignes
          </Button>
        </Group>
      ) : null}
    </div>
  );
}

/**
 * The body's rows and cells are plain elements carrying what Mantine's `Table.Tr` / `Table.Td` would render for this
 * table (its classes and data attributes: striped, hover, row borders): the same look, without a Mantine component,
 * its hooks and its style resolution for each of the hundreds of cells of a long table (the map page, issue 14,
 * spent a good part of its drawing there).
 */
const LIGNE = { className: `${Table.classes.tr} mantine-Table-tr`, 'data-with-row-border': true, 'data-striped': 'odd', 'data-hover': true } as const;
const CELLULE = `${Table.classes.td} mantine-Table-td`;
const CELLULE_NOMBRE = `${CELLULE} nombre`;

const value = (ligne: object, cle: string): unknown => (ligne as Record<string, unknown>)[cle];

const numeric = (c: Colonne) => c.type === 'entier' || c.type === 'nombre' || c.type === 'taux';

/** Numbers sort from the largest, text from A. */
const defaultSens = (colonnes: readonly Colonne[], cle: string): Sens => {
  const c = colonnes.find((x) => x.cle === cle);
  return c && numeric(c) ? 'desc' : 'asc';
};

/** Unknown values (null) always last, whatever the direction. */
export function compare(a: unknown, b: unknown, sens: Sens): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  const order =
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : typeof a === 'boolean' && typeof b === 'boolean'
        ? Number(a) - Number(b)
        : String(a).localeCompare(String(b), 'fr', { numeric: true });
  return sens === 'asc' ? order : -order;
}

export function display(c: Colonne, v: unknown): ReactNode {
  if (v === null || v === undefined) return '—';
  switch (c.type) {
    case 'taux':
      return formatTaux(v as number);
    case 'entier':
      return formatEntier(v as number);
    case 'nombre':
      return formatNombre(v as number);
    case 'date':
      return formatDate(String(v));
    case 'booleen':
      return formatBooleen(v as boolean);
    case 'texte':
      return Array.isArray(v) ? v.join(', ') : String(v);
  }
}
