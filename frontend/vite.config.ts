import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The SPA. In development and under `npm start` (vite preview) the API is proxied so the
 * browser talks to one origin; in production the SPA is on Firebase Hosting and calls the
 * API origin given at build time (VITE_API_URL). The preview runtime lives on its own
 * origin, and the CSP lets exactly that origin be framed.
 */
const backend = process.env.BACKEND_URL ?? 'http://127.0.0.1:8080';
// A `*` label (one origin per project) is a valid CSP host wildcard as it stands.
const previewOrigin = new URL(process.env.PUBLIC_PREVIEW_URL ?? 'http://*.preview.localhost:5174').origin;
const emulator = process.env.FIREBASE_AUTH_EMULATOR_HOST ? `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}` : '';

const csp = [
  "default-src 'self'",
  "script-src 'self'",
  // Monaco and Sandpack inject <style> elements at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  `connect-src 'self' ${emulator} https://identitytoolkit.googleapis.com https://securetoken.googleapis.com`.trim(),
  `frame-src ${previewOrigin}`,
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ');

const proxy = {
  '/api': { target: backend, changeOrigin: false },
  '/health': { target: backend, changeOrigin: false },
};

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 6000, sourcemap: false },
  worker: { format: 'es' },
  server: { port: 5173, strictPort: true, proxy },
  preview: {
    port: 5173,
    strictPort: true,
    proxy,
    headers: { 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' },
  },
});
