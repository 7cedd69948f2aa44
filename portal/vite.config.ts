import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API has no CORS, so `vite` and `vite preview` proxy /api to a running Hookline
// (HOOKLINE_API_URL, default http://localhost:8080) and the portal stays same-origin.
const api = { '/api': { target: process.env.HOOKLINE_API_URL ?? 'http://localhost:8080', changeOrigin: true } };

// Built to portal/dist, which the API serves at /portal.
export default defineConfig({
  base: '/portal/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: api },
  preview: { proxy: api },
});
