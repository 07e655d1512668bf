/**
 * `/metrics` in Prometheus text format: request latency by route template and status, and the
 * figures an O&M head watches — open and overdue cases by process and stage, the e-mail outbox
 * backlog, SLA warnings and escalations fired — read from the read model at scrape time with a
 * few indexed aggregate queries. Each app has its own registry, so several apps in one process
 * (tests, benchmarks) never clash.
 */
import type { Knex } from 'knex';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  /** Times every request; label `route` is the matched route's template, never the raw URL. */
  middleware: RequestHandler;
}

export function createApiMetrics(db: Knex): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'opsflow_api_' });

  const requests = new Histogram({
    name: 'opsflow_http_request_duration_seconds',
    help: 'API request latency, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  new Gauge({
    name: 'opsflow_cases_open',
    help: 'Open cases, by process and current stage',
    labelNames: ['process', 'stage'] as const,
    registers: [registry],
    async collect() {
      const rows: Array<{ process: string; stage: string; n: string }> = await db('cases')
        .where({ state: 'open' })
        .groupBy('process', 'stage')
        .select('process', 'stage', db.raw('count(*) AS n'));
      this.reset();
      for (const r of rows) this.set({ process: r.process, stage: r.stage }, Number(r.n));
    },
  });

  new Gauge({
    name: 'opsflow_cases_overdue',
    help: 'Open cases with a waiting step past its due time, by process and current stage',
    labelNames: ['process', 'stage'] as const,
    registers: [registry],
    async collect() {
      const rows: Array<{ process: string; stage: string; n: string }> = await db('cases')
        .where({ state: 'open' })
        .where('due_at', '<', db.fn.now())
        .groupBy('process', 'stage')
        .select('process', 'stage', db.raw('count(*) AS n'));
      this.reset();
      for (const r of rows) this.set({ process: r.process, stage: r.stage }, Number(r.n));
    },
  });

  new Gauge({
    name: 'opsflow_outbox_backlog',
    help: 'E-mails not yet delivered, by status (pending, sending)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows: Array<{ status: string; n: string }> = await db('notification_outbox')
        .whereIn('status', ['pending', 'sending'])
        .groupBy('status')
        .select('status', db.raw('count(*) AS n'));
      this.reset();
      this.set({ status: 'pending' }, 0);
      this.set({ status: 'sending' }, 0);
      for (const r of rows) this.set({ status: r.status }, Number(r.n));
    },
  });

  new Gauge({
    name: 'opsflow_outbox_oldest_pending_seconds',
    help: 'Age of the oldest e-mail still pending (0 when none is)',
    registers: [registry],
    async collect() {
      const [row] = await db('notification_outbox')
        .where({ status: 'pending' })
        .select(db.raw('coalesce(extract(epoch from now() - min(created_at)), 0) AS age'));
      this.set(Number(row?.age ?? 0));
    },
  });

  // A count kept in PostgreSQL, not in this process: reset and set at each scrape, so it never
  // goes down across API restarts and every API replica reports the same figure.
  new Counter({
    name: 'opsflow_sla_events_total',
    help: 'SLA warnings, overdue marks and escalations recorded in the audit trail, by type',
    labelNames: ['type'] as const,
    registers: [registry],
    async collect() {
      const rows: Array<{ type: string; n: string }> = await db('case_events')
        .whereIn('type', SLA_EVENT_TYPES)
        .groupBy('type')
        .select('type', db.raw('count(*) AS n'));
      this.reset();
      for (const type of SLA_EVENT_TYPES) this.inc({ type }, 0);
      for (const r of rows) this.inc({ type: r.type }, Number(r.n));
    },
  });

  const middleware: RequestHandler = (req, res, next) => {
    const end = requests.startTimer({ method: req.method });
    res.once('finish', () => {
      // Express knows the template only for a matched route; anything else is one label value.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      end({ route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
}

export const SLA_EVENT_TYPES = ['sla.warning', 'sla.overdue', 'sla.escalated'];
