import { defineConfig } from 'vite';

// The renderer is one static build (renderer/dist): the browser-mode host and Electron both serve it.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
});
