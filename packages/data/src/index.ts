export * from './store/store.ts';
export * from './store/migrations.ts';
export * from './store/sql-types.ts';
export * from './import/import-dataset.ts';
export * from './import/problems.ts';
export * from './import/mapping.ts';
export * from './export/export-dataset.ts';
export * from './indicators/index.ts';
