import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

const appRoot = import.meta.dirname;
const workspaceRoot = resolve(appRoot, '../..');

/** Where the dev server forwards /api and /socket.io (the NestJS API). */
const apiTarget = process.env['API_PROXY_TARGET'] ?? 'http://127.0.0.1:3000';

const proxy: Record<string, ProxyOptions> = {
  '/api': { target: apiTarget },
  '/socket.io': { target: apiTarget, ws: true },
};

export default defineConfig({
  root: appRoot,
  plugins: [react()],
  resolve: {
    alias: [
      {
        find: /^@orch\/contracts$/,
        replacement: resolve(workspaceRoot, 'libs/contracts/src/index.ts'),
      },
    ],
  },
  build: {
    outDir: resolve(workspaceRoot, 'dist/apps/web'),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: { port: 4200, proxy },
  preview: { port: 4300, proxy },
});
