/**
 * The worker of the benchmarks, run as its own process so that its memory and CPU are its own:
 * the product's worker (same settings from runtime/config.ts, WORKER_* variables included) on a
 * bundle that adds the bare baselines of scripts/bench/bench-workflows.ts.
 */
import { NativeConnection } from '@temporalio/worker';
import { createDb } from '../../db/connection';
import { loadConfig, runMain } from '../../runtime/config';
import { bundleWorkflows, createOpsWorker, installWorkerRuntime } from '../../runtime/worker';

async function main(): Promise<void> {
  const config = loadConfig();
  installWorkerRuntime(config.worker.metricsAddress);
  const db = createDb(config.databaseUrl as string);
  const connection = await NativeConnection.connect({ address: config.temporal.address as string });
  const worker = await createOpsWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    db,
    workflowBundle: await bundleWorkflows({ workflowsPath: require.resolve('./bench-workflows') }),
    commandSecrets: config.auth.commandSecrets,
    tuning: config.worker,
    extraActivities: { benchNoop: async () => undefined },
  });
  try {
    await worker.run(); // until SIGTERM
  } finally {
    await connection.close();
    await db.destroy();
  }
}

runMain(main);
