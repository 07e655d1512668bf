/** The Express application: thin routes over Temporal and the read model. */
import express, { type Express } from 'express';
import type { Readiness } from './readiness';

export interface AppDependencies {
  readiness: Readiness;
}

export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');

  // Alive: the process answers. Says nothing about its dependencies.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Ready: Temporal and PostgreSQL both answer; the body names each.
  app.get('/readyz', async (_req, res) => {
    const report = await deps.readiness.check();
    res.status(report.ready ? 200 : 503).json(report);
  });

  return app;
}
