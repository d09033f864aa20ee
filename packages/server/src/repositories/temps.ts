/** Timestamps are stored in UTC, as DuckDB TIMESTAMP (without zone), and read back as epoch milliseconds. */
export const versSql = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** A stored timestamp as ISO 8601 in UTC (`2026-11-25T09:30:00Z`), for the API. */
export const isoSql = (column: string): string => `strftime(${column}, '%Y-%m-%dT%H:%M:%SZ')`;
