/**
 * What the workflow and integration layers share: a real PostgreSQL (embedded, throw-away
 * data, free port) with the schema migrated, and the workflow code bundled once for every
 * test file. The integration layer adds a Temporal dev server. Addresses reach the test
 * files through the environment. Global teardown (`stop-stack.ts`) stops it all.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createDb } from '../../db/connection';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { migrateLatest } from '../../db/migrate';
import { startTemporalDevServer } from '../../runtime/temporal-dev-server';
import { currentStack, registerStack } from './stack';

/** Idempotent: the workflow and integration projects of one jest run share one stack. */
export async function startStack(withDevServer: boolean): Promise<void> {
  const running = currentStack();
  if (running) {
    if (withDevServer && !running.temporal) {
      running.temporal = await startTemporalDevServer({ dbFile: null, uiPort: null });
      process.env.TEMPORAL_ADDRESS = running.temporal.address;
    }
    return;
  }
  const root = mkdtempSync(path.join(os.tmpdir(), 'opsflow-test-'));
  chmodSync(root, 0o755); // PostgreSQL runs as its own OS user when the tests run as root
  const [postgres, temporal, bundle] = await Promise.all([
    startEmbeddedPostgres({ dataDir: path.join(root, 'pg') }),
    withDevServer ? startTemporalDevServer({ dbFile: null, uiPort: null }) : Promise.resolve(undefined),
    bundleWorkflowCode({
      workflowsPath: require.resolve('../support/test-workflows'),
      logger: {
        log: () => undefined,
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: (m: string) => process.stderr.write(`${m}\n`),
      },
    }),
  ]);
  const db = createDb(postgres.url, 1);
  await migrateLatest(db);
  await db.destroy();
  const bundlePath = path.join(root, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  process.env.DATABASE_URL = postgres.url;
  process.env.OPSFLOW_TEST_BUNDLE = bundlePath;
  if (temporal) process.env.TEMPORAL_ADDRESS = temporal.address;
  registerStack({ root, postgres, temporal });
}
