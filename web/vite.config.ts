// Vite config for the CivicDesk web app. Root is this folder; the build lands in web/dist, which
// the Fastify server serves (src/http/server.ts). In development the API and public pages are
// proxied to the server on port 3000.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = 'http://localhost:3000';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/p': { target: api, changeOrigin: false },
      '/uswds': { target: api, changeOrigin: false },
    },
  },
});
