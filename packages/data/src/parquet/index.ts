export * from './disposition.ts';
export * from './export-parquet.ts';
export * from './lecture-parquet.ts';
export * from './indicateurs-parquet.ts';
export * from './export-parquet-epcis.ts';
export * from './regroupement.ts';
export * from './faits-parquet.ts';
export * from './configurations-parquet.ts';
