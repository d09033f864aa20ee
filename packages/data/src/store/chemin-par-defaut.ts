/**
 * Default store of a deployment, relative to the working directory (configurable with MIXITE_BASE or --base). In a
 * module of its own, without DuckDB: the command line's help and its search for a running server name it before
 * anything opens the store (start-up, issue 18).
 */
export const DEFAULT_STORE_PATH = 'data/mixite.duckdb';
