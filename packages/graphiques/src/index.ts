export * from './palette.ts';
export * from './commun.tsx';
export * from './BarresHorizontales.tsx';
export * from './BarresVerticales.tsx';
export * from './CourbesTendance.tsx';
