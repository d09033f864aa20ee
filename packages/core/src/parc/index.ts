export * from './parametres.ts';
export * from './fragilite.ts';
