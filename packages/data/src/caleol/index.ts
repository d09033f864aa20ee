export * from './liste.ts';
export * from './decisions.ts';
export * from './ordre-du-jour.ts';
