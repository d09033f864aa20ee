export * from './calibration.ts';
export * from './fichiers.ts';
export * from './parallele.ts';
export * from './simulation.ts';
