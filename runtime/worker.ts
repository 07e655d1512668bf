/**
 * The Opsflow worker: runs every process workflow and the activities they call. Workflow code
 * is bundled once at start. SIGINT/SIGTERM stop polling and let running activities finish
 * (up to the grace time) before the process exits; the Temporal server keeps all state, so a
 * SIGKILL instead only delays work until a worker polls again.
 */
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import { createDb } from '../db/connection';
import { loadConfig, runMain } from './config';
import { ensureDrillSchedules } from './drill-schedules';
import { createLogger } from './logger';
import { MailDispatcher } from './mail-dispatcher';

export const workflowsPath = require.resolve('../workflows');

export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
}

export interface OpsWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Knex;
  workflowBundle: WorkflowBundleWithSourceMap;
}

export function createOpsWorker(options: OpsWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: createActivities(options.db),
    shutdownGraceTime: '30s',
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
  const db = createDb(config.databaseUrl);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createOpsWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    db,
    workflowBundle: await bundleWorkflows(),
  });
  // The annual drills (master data) as Temporal Schedules, created or brought up to date.
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const schedules = await ensureDrillSchedules(client, db, config.temporal.taskQueue);
  log.info({ schedules }, 'drill schedules in place');
  log.info({ taskQueue: config.temporal.taskQueue }, 'worker polling');
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
    await connection.close();
    await db.destroy();
    log.info('worker stopped');
  }
}

if (require.main === module) runMain(main);
