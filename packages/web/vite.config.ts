import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vite';

/**
 * index.html asks for the application's files (application.tsx's chunk, the chunks it imports and its styles) at the
 * same time as the first module (issue 14). main.tsx imports the application dynamically so that the page's reads
 * start before the application is loaded; without these links, its files would only be asked for once main.tsx has
 * run — one round trip more for every page.
 */
function precharger(): Plugin {
  return {
    name: 'mixite-precharger-application',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle, chunk: entree }) {
        if (!bundle || !entree) return [];
        const chunks = Object.values(bundle).filter((f) => f.type === 'chunk');
        const application = chunks.find((c) => c.facadeModuleId?.endsWith('/src/application.tsx'));
        if (!application) throw new Error('vite.config.ts : le morceau de src/application.tsx est introuvable dans la construction');
        const scripts = new Set<string>();
        const styles = new Set<string>();
        const visiter = (nom: string) => {
          const chunk = chunks.find((c) => c.fileName === nom);
          if (!chunk || scripts.has(nom)) return;
          scripts.add(nom);
          for (const css of chunk.viteMetadata?.importedCss ?? []) styles.add(css);
          for (const importe of chunk.imports) visiter(importe);
        };
        // What the first module imports is already asked for by Vite's own links.
        visiter(entree.fileName);
        const dejaDemandes = new Set(scripts);
        visiter(application.fileName);
        for (const nom of dejaDemandes) scripts.delete(nom);
        return [
          ...[...styles].map((href) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `/${href}` }, injectTo: 'head' as const })),
          ...[...scripts].map((href) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${href}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

/**
 * Built by `npm start` through Vite's JS API (packages/server/src/web-assets.ts) into dist/.
 * For front-end work: `npx vite packages/web` serves it with hot reload and forwards /api to a running server.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), precharger()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': `http://127.0.0.1:${process.env['PORT'] ?? 3000}` } },
});
