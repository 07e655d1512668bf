/**
 * The Opsflow worker: runs every process workflow and the activities they call. Workflow code
 * is bundled once at start. SIGINT/SIGTERM stop polling and let running activities finish
 * (up to the grace time) before the process exits; the Temporal server keeps all state, so a
 * SIGKILL instead only delays work until a worker polls again.
 */
import v8 from 'node:v8';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import { createDb } from '../db/connection';
import { loadConfig, runMain, workerNodeOptions, type Config } from './config';
import { createLogger } from './logger';
import { MailDispatcher } from './mail-dispatcher';
import { ensureSchedules } from './schedules';
import { createTracing, workflowTracingModule, type Tracing } from './tracing';

export const workflowsPath = require.resolve('../workflows');

/** The product workflows; with tracing on, the OpenTelemetry workflow interceptors too. */
export async function bundleWorkflows(
  options: { tracing?: boolean; workflowsPath?: string } = {},
): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: options.workflowsPath ?? workflowsPath,
    workflowInterceptorModules: options.tracing ? [workflowTracingModule] : [],
    logger: quietBundlerLogger,
  });
}

export interface OpsWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Knex;
  workflowBundle: WorkflowBundleWithSourceMap;
  /** Keys that verify the API's proof on commands (config.auth.commandSecrets). */
  commandSecrets: readonly string[];
  /** Concurrency, polling and cache settings (config.worker); the SDK's defaults when omitted. */
  tuning?: Config['worker'];
  tracing?: Tracing | null;
  /** Activities beside the product's (benchmarks' baselines). */
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
}

/** The worker settings of `runtime/config.ts`, as Temporal worker options. */
export function workerTuningOptions(tuning: Config['worker']): Partial<WorkerOptions> {
  return {
    maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTasks,
    maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities,
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: tuning.workflowTaskPollers },
    nonStickyToStickyPollRatio: tuning.nonStickyPollRatio,
    activityTaskPollerBehavior: { type: 'simple-maximum', maximum: tuning.activityTaskPollers },
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    stickyQueueScheduleToStartTimeout: tuning.stickyQueueTimeoutMs,
  };
}

export function createOpsWorker(options: OpsWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: { ...createActivities(options.db, options.commandSecrets), ...options.extraActivities },
    shutdownGraceTime: '30s',
    ...(options.tuning ? workerTuningOptions(options.tuning) : {}),
    ...(options.tracing
      ? { interceptors: options.tracing.workerInterceptors, sinks: options.tracing.sinks }
      : {}),
  });
}

/**
 * Installs the SDK runtime once per process: its log level, and its metrics served for
 * Prometheus at `metricsAddress` (`GET /metrics`) unless that is null.
 */
export function installWorkerRuntime(
  metricsAddress: string | null,
  logLevel: 'WARN' | 'INFO' = 'WARN',
): void {
  Runtime.install({
    logger: new DefaultLogger(logLevel),
    telemetryOptions: metricsAddress
      ? { metrics: { prometheus: { bindAddress: metricsAddress } } }
      : undefined,
  });
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
  error: (message: string) => process.stderr.write(`[bundler] ${message}\n`),
};

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('worker', config.logLevel);
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required by the worker (npm start sets it)');
  if (!config.temporal.address)
    throw new Error('TEMPORAL_ADDRESS is required by the worker (npm start sets it)');
  const heapMiB = Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20);
  if (heapMiB > 1.5 * config.worker.heapMiB)
    log.warn(
      { heapMiB, WORKER_HEAP_MIB: config.worker.heapMiB },
      `the worker's heap is not bounded as configured: start it with node ${workerNodeOptions(config.worker).join(' ')}`,
    );
  installWorkerRuntime(config.worker.metricsAddress);
  const tracing = createTracing(config, 'worker');
  const db = createDb(config.databaseUrl);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createOpsWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    db,
    commandSecrets: config.auth.commandSecrets,
    workflowBundle: await bundleWorkflows({ tracing: tracing !== null }),
    tuning: config.worker,
    tracing,
  });
  // Periodic jobs (master data: periodic_jobs, drill_schedules) as Temporal Schedules, created or brought up to date.
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const schedules = await ensureSchedules(client, db, config.temporal.taskQueue, { log });
  log.info({ schedules }, 'periodic job schedules in place');
  log.info(
    {
      taskQueue: config.temporal.taskQueue,
      metrics: config.worker.metricsAddress ? `http://${config.worker.metricsAddress}/metrics` : 'off',
      tracing: config.tracing.exporter,
    },
    'worker starting to poll',
  );
  const running = worker.run(); // resolves after a graceful shutdown on SIGINT/SIGTERM
  // The outbox is delivered from the worker process: no SMTP server known, no mail (rows wait).
  const mail = config.mail.smtpUrl
    ? new MailDispatcher({ db, config, log: createLogger('mail', config.logLevel) })
    : null;
  if (mail) mail.start();
  else log.warn('SMTP_URL is not set: notifications stay in the outbox until a worker with SMTP_URL runs');
  try {
    await running;
  } finally {
    await mail?.stop();
    await tracing?.shutdown();
    await connection.close();
    await db.destroy();
    log.info('worker stopped');
  }
}

if (require.main === module) runMain(main);
