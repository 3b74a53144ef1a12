import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The desk server; the client is served from the same origin in production. */
const server = 'http://localhost:3000';
const proxy = { '/api': server, '/healthz': server, '/readyz': server };

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // react-admin and MUI make one large vendor chunk; that is expected for a back office.
    chunkSizeWarningLimit: 2500,
  },
});
