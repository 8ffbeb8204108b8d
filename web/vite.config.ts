import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The dev server proxies the API, the live streams and the offline base map to a running
// server (`pnpm start`, port 8080 unless GCC_API is set); `vite build` writes web/dist, which
// the server serves at /. `vite build --mode bench --outDir DIR` adds bench.html, the
// wall-update benchmark's page, which the product does not ship (tests/bench/wall-update
// builds it into a folder of its own and points a server there with WEB_DIST).
const api = process.env.GCC_API ?? 'http://127.0.0.1:8080';

export default defineConfig(({ mode }) => ({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/trpc': { target: api, changeOrigin: false },
      '/socket.io': { target: api, ws: true, changeOrigin: false },
      '/basemap': { target: api },
      '/healthz': { target: api },
    },
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The wall's libraries load in parallel and cache apart from our own code.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        ...(mode === 'bench' ? { bench: resolve(import.meta.dirname, 'bench.html') } : {}),
      },
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/].*maplibre-gl[\\/]/ },
            { name: 'deckgl', test: /node_modules[\\/].*@(deck|luma|loaders|math|probe)\.gl[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/].*(echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
}));
