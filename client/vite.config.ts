import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

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
  plugins: [react()],
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the build: the desk serves none (`pnpm dev` has its own).
    sourcemap: false,
    // react-admin and MUI make one large vendor chunk; that is expected for a back office.
    chunkSizeWarningLimit: 2500,
  },
});
