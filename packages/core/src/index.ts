export * from './format/codes.ts';
export * from './format/labels.ts';
export * from './format/columns.ts';
export * from './format/files.ts';
export * from './format/cells.ts';
export * from './format/schemas.ts';
export * from './config/cia-config.ts';
