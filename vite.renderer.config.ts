import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the app window (src/renderer) into dist/renderer, served by the
 * desktop app on app://ferry and by `ferry watch --ui` on 127.0.0.1. Relative
 * asset paths work under both; no inline script or style is emitted, as the
 * CSP (`script-src 'self'; style-src 'self'`) requires.
 */
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
