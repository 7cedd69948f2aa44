import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `vite` and `vite preview` proxy the API to a running Hookline (HOOKLINE_API_URL, default
// http://localhost:8080), so the console stays same-origin with the API as when Hookline serves it.
const target = process.env.HOOKLINE_API_URL ?? 'http://localhost:8080';
const api = Object.fromEntries(['/api', '/admin', '/console/v1'].map((prefix) => [prefix, { target, changeOrigin: false }]));

// Built to console/dist, which the API serves at /console.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: api },
  preview: { proxy: api },
});
