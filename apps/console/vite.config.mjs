// The console's build: Preact + TypeScript bundled by Vite into dist/console, which the API serves
// at /console/ with a strict Content-Security-Policy (no inline script or style, nothing inlined).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Everything is a file of its own: a data: URI would need a looser CSP.
    assetsInlineLimit: 0,
    // No module-preload polyfill: it is an extra script, and every supported browser preloads modules.
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
