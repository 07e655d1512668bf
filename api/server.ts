/** The API process: Express on PORT, with graceful shutdown on SIGINT/SIGTERM. */
import { Client, Connection } from '@temporalio/client';
import { createDb } from '../db/connection';
import { loadConfig, runMain } from '../runtime/config';
import { createLogger } from '../runtime/logger';
import { createTracing } from '../runtime/tracing';
import { createApp } from './app';
import { createReadiness } from './readiness';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('api', config.logLevel);
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required by the API (npm start sets it)');
  if (!config.temporal.address)
    throw new Error('TEMPORAL_ADDRESS is required by the API (npm start sets it)');
  const db = createDb(config.databaseUrl);
  // Lazy: the API starts, and /readyz reports, even while Temporal is still coming up.
  const connection = Connection.lazy({ address: config.temporal.address });
  // With OPSFLOW_TRACING on, every start, update and signal carries the trace into the workflow.
  const tracing = createTracing(config, 'api');
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    interceptors: tracing?.clientInterceptors,
  });
  const app = createApp({
    readiness: createReadiness({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      db,
    }),
    client,
    db,
    config,
    log,
  });
  const server = app.listen(config.api.port, () => log.info({ port: config.api.port }, 'api listening'));
  server.on('error', (err) => {
    log.fatal({ err }, 'api could not listen');
    process.exit(1);
  });

  const stop = () => {
    server.close(() => {
      void Promise.all([connection.close(), db.destroy(), tracing?.shutdown()]).finally(() =>
        process.exit(0),
      );
    });
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) runMain(main);
