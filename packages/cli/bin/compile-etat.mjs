// What `mixite` needs at start to choose between the compiled JavaScript and the TypeScript sources (decision 0008):
// no esbuild here, only a walk of the sources' modification times (a few milliseconds).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The packages Node runs (the web front end is built by Vite and served as files). */
export const PACKAGES = ['cli', 'contract', 'core', 'data', 'demo', 'graphiques', 'reports', 'server'];
export const DOSSIER = '.compile';
/** Written last by the compiler: its modification time is the compiled tree's. */
export const TEMOIN = 'compile.json';

/** Every file under a folder, relative paths. */
export function files(dir, base = dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(path, base));
    else out.push(relative(base, path));
  }
  return out;
}

/** The newest modification time of what the compiled tree is made from: the sources, manifests and the compiler. */
function sourcesMtime() {
  let newest = statSync(join(ROOT, 'packages', 'cli', 'bin', 'compiler.mjs')).mtimeMs;
  for (const p of PACKAGES) {
    const src = join(ROOT, 'packages', p, 'src');
    for (const file of files(src)) newest = Math.max(newest, statSync(join(src, file)).mtimeMs);
    newest = Math.max(newest, statSync(join(ROOT, 'packages', p, 'package.json')).mtimeMs);
  }
  return newest;
}

/**
 * The compiled entry point when a compiled tree exists and no source changed since it was written, else null
 * (then the sources run through tsx: a change is never hidden by an old build). `MIXITE_SOURCES=1` forces the sources.
 */
export function compiledMain() {
  if (process.env.MIXITE_SOURCES === '1') return null;
  const temoin = join(ROOT, 'packages', 'cli', DOSSIER, TEMOIN);
  if (!existsSync(temoin)) return null;
  return statSync(temoin).mtimeMs > sourcesMtime() ? join(ROOT, 'packages', 'cli', DOSSIER, 'main.js') : null;
}
