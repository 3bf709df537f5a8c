import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.FLEETJOBS_URL ?? 'http://127.0.0.1:3000';

/** The dashboard is served by the API on the same origin; in development Vite proxies `/api` to it. */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
  },
  server: { proxy: { '/api': { target: apiTarget } } },
  preview: { proxy: { '/api': { target: apiTarget } } },
});
