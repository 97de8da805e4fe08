/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Tauri loads the built files from ui/dist (see src-tauri/tauri.conf.json).
export default defineConfig({
  base: './',
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    fs: {
      // ui/ itself, and the fonts the fishbone draws with: their one copy is in the repository's
      // assets/fonts/, beside the core that measures the layout with them. Relative to ui/.
      allow: ['.', '../assets/fonts'],
    },
  },
  build: {
    target: 'es2021',
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
