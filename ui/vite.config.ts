import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web app of `cinema ui`: built into ui/dist, served by src/server (never by Vite in production).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
});
