import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

const dashboardDir = fileURLToPath(new URL('../dashboard/', import.meta.url));
// Chart.js comes from the project's own node_modules: the page loads nothing from a CDN.
const chartJs = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

/** GET /dashboard: the live analytics page and its assets (and GET / redirecting to it). */
export function dashboard(): Router {
  const router = Router();
  router.get('/', (_req, res) => res.redirect(302, '/dashboard'));
  router.get('/dashboard', (_req, res) => res.sendFile(join(dashboardDir, 'index.html')));
  router.get('/dashboard/vendor/chart.umd.min.js', (_req, res) => res.sendFile(chartJs));
  router.use('/dashboard', express.static(dashboardDir, { index: false, maxAge: '5m' }));
  return router;
}
