/**
 * The charts of Mixité (see palette.ts, commun.tsx). Each .tsx file starts with a JSX pragma: tsx reads the
 * tsconfig.json of the current directory only, and a CLI or server started from elsewhere would otherwise compile
 * JSX the classic way (`React is not defined`).
 */
export * from './palette.ts';
export * from './commun.tsx';
export * from './BarresHorizontales.tsx';
export * from './BarresVerticales.tsx';
export * from './CourbesTendance.tsx';
export * from './carte/index.ts';
