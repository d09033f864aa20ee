#!/usr/bin/env node
// Compiles the TypeScript of the Node packages to JavaScript, so that `mixite` starts without loading tsx and its
// esbuild service (decision 0008). File by file, no bundling: `packages/<p>/src/a/b.ts` becomes
// `packages/<p>/.compile/a/b.js`, at the same depth, so that the paths the code builds from `import.meta.url`
// (fonts, workers, the web build, the shipped grids) reach the same files. Run by `npm start` and `npm run compiler`;
// `bin/mixite.js` uses the result only while it is newer than every source, else runs the sources through tsx.
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { DOSSIER, PACKAGES, TEMOIN, files } from './compile-etat.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The packages Node runs (the web front end is built by Vite and served as files). */

const isTest = (file) => /\.test\.tsx?$/.test(file) || file.split('/').includes('test');

/** `./src/x/y.ts` of a package's exports → the compiled file, relative to the package folder. */
const compiledTarget = (target, dossier) => target.replace(/^\.\/src\//, `./${dossier}/`).replace(/\.tsx?$/, '.js');

/** `@mixite/<p>[/<sub>]` → the absolute path of the compiled module, from the package's own `exports`. */
function workspaceResolver(dossier) {
  const exportsOf = new Map();
  for (const p of PACKAGES) {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8'));
    const exports = manifest.exports ?? (manifest.main ? { '.': `./${manifest.main}` } : {});
    exportsOf.set(manifest.name, { dir: join(ROOT, 'packages', p), exports });
  }
  return (specifier) => {
    const match = /^(@mixite\/[^/]+)(\/.*)?$/.exec(specifier);
    if (!match) return null;
    const pkg = exportsOf.get(match[1]);
    const target = pkg?.exports[match[2] ? `.${match[2]}` : '.'];
    if (!pkg || typeof target !== 'string') throw new Error(`${specifier} : export introuvable dans le package.json du paquet`);
    return join(pkg.dir, compiledTarget(target, dossier));
  };
}

/** Rewrites the module specifiers of one compiled file: `.ts`/`.tsx` → `.js`, workspace packages → relative paths. */
function rewrite(code, outFile, resolveWorkspace) {
  const fix = (specifier) => {
    const absolute = resolveWorkspace(specifier);
    if (absolute) {
      const rel = relative(dirname(outFile), absolute);
      return rel.startsWith('.') ? rel : `./${rel}`;
    }
    return specifier.startsWith('.') ? specifier.replace(/\.tsx?$/, '.js') : specifier;
  };
  return code
    .replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\n]+)\2/g, (_, head, q, s) => `${head}${q}${fix(s)}${q}`)
    .replace(/(new URL\(\s*)(['"])(\.{1,2}\/[^'"\n]+\.tsx?)\2/g, (_, head, q, s) => `${head}${q}${s.replace(/\.tsx?$/, '.js')}${q}`);
}

/** Compiles every package into `<package>/<dossier>` (written aside, then swapped in). Returns the number of files. */
export async function compiler(dossier = DOSSIER) {
  const resolveWorkspace = workspaceResolver(dossier);
  let count = 0;
  for (const p of PACKAGES) {
    const src = join(ROOT, 'packages', p, 'src');
    const final = join(ROOT, 'packages', p, dossier);
    const aside = `${final}.${process.pid}`;
    rmSync(aside, { recursive: true, force: true });
    for (const file of files(src)) {
      if (isTest(file)) continue;
      const from = join(src, file);
      if (!/\.tsx?$/.test(file)) {
        // Workers (.mjs), contours: read next to the code that names them.
        mkdirSync(dirname(join(aside, file)), { recursive: true });
        cpSync(from, join(aside, file));
        continue;
      }
      const out = join(aside, file.replace(/\.tsx?$/, '.js'));
      const result = await transform(readFileSync(from, 'utf8'), {
        loader: file.endsWith('.tsx') ? 'tsx' : 'ts',
        format: 'esm',
        target: 'node20',
        jsx: 'automatic',
        sourcemap: 'inline',
        sourcefile: from,
      });
      mkdirSync(dirname(out), { recursive: true });
      // The swapped folder's final name is what the relative paths must be computed from.
      writeFileSync(out, rewrite(result.code, join(final, relative(aside, out)), resolveWorkspace));
      count++;
    }
    rmSync(final, { recursive: true, force: true });
    renameSync(aside, final);
  }
  writeFileSync(join(ROOT, 'packages', 'cli', dossier, TEMOIN), JSON.stringify({ compile_le: new Date().toISOString(), fichiers: count }));
  return count;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dossier = process.argv[2] ?? DOSSIER;
  const started = Date.now();
  const count = await compiler(dossier);
  console.error(`Compilation : ${count} fichiers en ${((Date.now() - started) / 1000).toFixed(1)} s (packages/*/${dossier}).`);
  if (!existsSync(join(ROOT, 'packages', 'cli', dossier, 'main.js'))) process.exitCode = 1;
}
