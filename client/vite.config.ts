import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { lazyExporter } from './lazyExporter';
import { precompress } from './precompress';
import { zodWithoutJsonSchema } from './zodWithoutJsonSchema';

/** The desk server; the client is served from the same origin in production. */
const server = 'http://localhost:3000';
/**
 * The browser's Host header is passed through unchanged (`changeOrigin: false`; Vite's
 * shorthand would rewrite it to the target's), so the server's same-origin check sees
 * `Origin: http://localhost:5173` with `Host: localhost:5173` and lets sign-in and every
 * other POST through. The session cookie is set for that host, as in production.
 */
const target = { target: server, changeOrigin: false };
const proxy = { '/api': target, '/healthz': target, '/readyz': target };

export default defineConfig({
  plugins: [react(), lazyExporter(), zodWithoutJsonSchema(), precompress()],
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the build: the desk serves none (`pnpm dev` has its own).
    sourcemap: false,
    // Every browser the desk supports preloads modules itself: no polyfill in the entry.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              // The libraries the first screen needs (React, the router, react-admin's core,
              // MUI's styling, the contract's zod) in one chunk that stays cached across
              // releases of the desk's own code. Libraries only pages use are left to the
              // automatic split, so each page fetches just its own (see docs/BENCHMARKS.md,
              // "SPA delivery", for why one chunk and not one per library).
              name: 'vendor',
              test: /[\\/]node_modules[\\/]/,
              tags: ['$initial'],
            },
            // The shared contract (route table and schemas): the desk's own code, but every
            // page and the sign-in check use it, so it is a chunk of its own too.
            { name: 'contract', test: /[\\/]shared[\\/]src[\\/]/ },
          ],
        },
      },
    },
    // The vendor chunk is ≈ 645 kB before compression (≈ 171 kB brotli); that is expected.
    chunkSizeWarningLimit: 800,
  },
});
