import type { ColumnSpec, FileSpec } from '@mixite/core';

/** The DuckDB type of a column kind. Decimals are exact so that Q1 membership has no float surprise at the threshold. */
export function sqlType(spec: ColumnSpec): string {
  switch (spec.kind) {
    case 'text':
    case 'code':
    case 'list':
      return 'VARCHAR';
    case 'integer':
      return 'INTEGER';
    case 'decimal':
      return 'DECIMAL(18,2)';
    case 'real':
      return 'DOUBLE';
    case 'date':
      return 'DATE';
    case 'boolean':
      return 'BOOLEAN';
  }
}

/** Quotes an identifier for DuckDB. */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Quotes a string literal for DuckDB. */
export const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** CREATE TABLE of a canonical file: its columns in the contract's order, then the free columns as a map. */
export function createTableSql(file: FileSpec, tableName: string = file.name): string {
  const columns = Object.entries(file.columns).map(([name, col]) => `${ident(name)} ${sqlType(col)}`);
  columns.push('attributs MAP(VARCHAR, VARCHAR)');
  return `CREATE TABLE ${ident(tableName)} (${columns.join(', ')})`;
}
