#!/usr/bin/env node
// Runs the compiled JavaScript when it is up to date (`npm start` writes it: bin/compiler.mjs, decision 0008), else
// the TypeScript sources through tsx, so that the repository works without any build step.
import { pathToFileURL } from 'node:url';
import { compiledMain } from './compile-etat.mjs';

const compiled = compiledMain();
if (compiled) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
