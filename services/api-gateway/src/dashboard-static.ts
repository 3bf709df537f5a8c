import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@fleetjobs/runtime';
import express from 'express';

/** Where the dashboard's build lands (`npm run build:dashboard`). */
export function dashboardDirectory(): string {
  return process.env.DASHBOARD_DIR ?? join(workspaceRoot(), 'dist', 'dashboard');
}

/** Serves the single-page dashboard on `/`, falling back to index.html for its client routes. */
export function dashboardRouter(directory = dashboardDirectory()): express.Router {
  const router = express.Router();
  const index = join(directory, 'index.html');
  router.use(express.static(directory, { index: 'index.html', maxAge: '1h' }));
  router.get(/^\/(?!api\/|internal\/|health\/|metrics).*/, (_request, response, next) => {
    if (existsSync(index)) response.sendFile(index);
    else next();
  });
  return router;
}
