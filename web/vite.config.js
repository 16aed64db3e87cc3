import { defineConfig } from 'vite';

// The dashboard is served by chorus serve under a CSP of script-src 'self'
// and style-src 'self': no inline script or style may be emitted.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: false,
    target: 'es2020',
    reportCompressedSize: true,
  },
});
