/** The Express application: thin routes over Temporal and the read model. */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Knex } from 'knex';
import { pinoHttp } from 'pino-http';
import type { Config, Mode } from '../runtime/config';
import type { Logger } from '../runtime/logger';
import { authenticate } from './auth';
import { NotFoundError, problemHandler, sendProblem, ApiError } from './errors';
import { refuseDeepJson } from './json-depth';
import { createApprovalLinkRouter } from './links/router';
import { createSurveyLinkRouter } from './links/survey-router';
import { authFailureLimit } from './auth-failure-limit';
import { createApiMetrics } from './metrics';
import { docsPage, openApiDocument } from './openapi';
import { processFormSchemas } from './process-forms';
import { OperationRegistry } from './operations';
import type { Readiness } from './readiness';
import { registerAdminOperations } from './routes/admin';
import { registerDevTokenOperation } from './routes/auth';
import { registerCaseControlOperations } from './routes/case-controls';
import { registerCaseOperations } from './routes/cases';
import { registerMeOperations } from './routes/me';
import { registerReportOperations } from './routes/reports';
import { registerDefectReportOperations } from './routes/defect-reports';
import { registerCaseReopenOperations } from './routes/case-reopen';
import { registerScheduleOperations } from './routes/schedules';
import { registerServiceReportOperations } from './routes/service-report';
import { registerServiceReportListOperations } from './routes/service-report-lists';
import { createReportLinkRouter } from './links/report-router';
import { registerSystemOperations } from './routes/systems';
import { registerKnowledgeOperations } from './routes/knowledge';
import { registerVendorReviewOperations } from './routes/vendor-reviews';

export interface AppDependencies {
  readiness: Readiness;
  /** Temporal client; new cases start on config.temporal.taskQueue. */
  client: Client;
  db: Knex;
  config: Config;
  log: Logger;
  /** Defaults to config.mode; dev tokens exist only in development and test. */
  environment?: Mode;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Only the listed origins get CORS headers; with none configured the API sends none at all. */
function cors(origins: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && origins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', 'Location, X-Request-Id');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
        res.setHeader(
          'Access-Control-Allow-Headers',
          'Authorization, Content-Type, Idempotency-Key, X-API-Key, X-Request-Id',
        );
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}

export function createApp(deps: AppDependencies): Express {
  const { config, db, client } = deps;
  const environment = deps.environment ?? config.mode;
  const devMode = environment === 'development' || environment === 'test';
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  const metrics = createApiMetrics(db);
  app.use(metrics.middleware);
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Credentials never reach the log: only method, url and the request id are kept of a request,
      // and approval links carry their token in the query string, so theirs is cut off.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.startsWith('/links') ? req.url.split('?')[0] : req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  if (config.api.corsOrigins.length > 0) app.use(cors(config.api.corsOrigins));

  // Alive: the process answers. Says nothing about its dependencies.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Ready: Temporal and PostgreSQL both answer; the body names each.
  app.get('/readyz', async (_req, res) => {
    const report = await deps.readiness.check();
    res.status(report.ready ? 200 : 503).json(report);
  });

  // Prometheus scrape: request latency and the read model's O&M figures (api/metrics.ts).
  app.get('/metrics', async (_req, res) => {
    try {
      const body = await metrics.registry.metrics();
      res.type(metrics.registry.contentType).send(body);
    } catch (err) {
      deps.log.warn({ err }, 'metrics scrape failed');
      res.status(503).type('text/plain').send('metrics unavailable: the read model did not answer\n');
    }
  });

  app.use(
    express.json({
      limit: config.api.bodyLimit,
      type: ['application/json', 'application/*+json'],
      verify: refuseDeepJson,
    }),
  );
  app.use(express.text({ limit: config.api.bodyLimit, type: ['text/csv', 'text/calendar'] }));

  const router = express.Router();
  // Case data, tokens and master data must not sit in a browser or proxy cache.
  router.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Guessing keys or tokens: a client that fails authentication too often is refused for a minute.
  router.use('/api', authFailureLimit(config.api.authFailuresPerMinute));
  const api = new OperationRegistry(router, authenticate(config, db), devMode);
  if (devMode) registerDevTokenOperation(api, router, { db, config });
  registerCaseOperations(api, { client, db, config });
  registerCaseControlOperations(api, { client, db, config });
  registerReportOperations(api, { db, config });
  registerServiceReportOperations(api, { db, config });
  registerServiceReportListOperations(api, { db });
  registerMeOperations(api, { db });
  registerAdminOperations(api, { db });
  registerSystemOperations(api, { db });
  registerKnowledgeOperations(api, { client, db, config });
  registerDefectReportOperations(api, { db, config });
  registerCaseReopenOperations(api, { client, db, config });
  registerVendorReviewOperations(api, { db });
  registerScheduleOperations(api, { client, db });
  app.use(router);

  // E-mail approval links (api/links/**): their own HTML pages and rate limit, under /links.
  app.use(createApprovalLinkRouter({ client, db, config, log: deps.log }));
  // Satisfaction-survey links of vendor reviews (same /links rate limit and headers).
  app.use(createSurveyLinkRouter({ client, db, config, log: deps.log }));
  app.use(createReportLinkRouter({ db, config, log: deps.log }));

  const document = openApiDocument(api.operations, config.api.publicUrl, processFormSchemas());
  const docs = docsPage(document);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docs);
  });

  app.use((req, res) => {
    const known = api.operations.some((op) =>
      new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(req.path),
    );
    sendProblem(
      res,
      known
        ? new ApiError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not supported on ${req.path}`)
        : new NotFoundError(`no route ${req.method} ${req.path}`, 'ROUTE_NOT_FOUND'),
    );
  });
  app.use(problemHandler);
  return app;
}
