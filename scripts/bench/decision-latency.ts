/**
 * Decision round-trip latency: `POST /api/v1/cases/{id}/decisions` → response, against a bare
 * `client.workflow.executeUpdate` on a trivial workflow, on the same Temporal dev server and
 * PostgreSQL in the same run. A third path sends the same `decide` Update straight to a real
 * case, without HTTP, to split the total into what the API adds and what the case's own work
 * (audit, read model, next step) adds. Prints p50/p95/p99 at concurrency 1 and 32 and the ratios
 * of the medians. Each decision goes to its own case (as in real use) and each bare update to its
 * own workflow, so no path benefits from batching in one workflow.
 *
 *   npm run bench            (DECISIONS=1000 by default; DECISIONS=200 for a quick look)
 */
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { issueToken } from '../../api/auth';
import { createReadiness } from '../../api/readiness';
import { createDb } from '../../db/connection';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { migrateLatest } from '../../db/migrate';
import { loadConfig, runMain } from '../../runtime/config';
import { seedBenchPeople } from './bench-stack';
import { createLogger } from '../../runtime/logger';
import { startTemporalDevServer } from '../../runtime/temporal-dev-server';
import { decideUpdate } from '../../workflows/contracts/messages';
import { echoUpdate } from './bench-workflows';
import { measure, summarize, type LatencySummary } from './latency';

const DECISIONS = Number(process.env.DECISIONS ?? 1000);
const LEVELS = [1, 32];
const WARMUP = 50;
const TASK_QUEUE = 'bench';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const root = mkdtempSync(path.join(os.tmpdir(), 'opsflow-bench-'));
  chmodSync(root, 0o755);
  process.stdout.write(`Starting PostgreSQL and a Temporal dev server (throw-away data in ${root})…\n`);
  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres({ dataDir: path.join(root, 'pg') }),
    startTemporalDevServer({ dbFile: null, uiPort: null }),
  ]);
  const db = createDb(pg.url, 20);
  const closers: Array<() => Promise<unknown>> = [];
  try {
    await migrateLatest(db);
    await seedBenchPeople(db);

    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      LOG_LEVEL: 'silent',
    });
    const workerConnection = await NativeConnection.connect({ address: temporal.address });
    const worker = await Worker.create({
      connection: workerConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('./bench-workflows'),
        logger: new DefaultLogger('WARN'),
      }),
      activities: createActivities(db, config.auth.commandSecrets),
    });
    const running = worker.run();
    closers.push(async () => {
      worker.shutdown();
      await running;
      await workerConnection.close();
    });

    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection });
    closers.push(() => connection.close());
    const app = createApp({
      readiness: createReadiness({ connection, namespace: 'default', taskQueue: TASK_QUEUE, db }),
      client,
      db,
      config,
      log: createLogger('bench', 'silent'),
      environment: 'production',
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    closers.push(() => new Promise((r) => server.close(r)));
    const port = (server.address() as { port: number }).port;
    const token = await issueToken(config, 'bench-head');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

    const perLevel = DECISIONS + WARMUP;
    const total = perLevel * LEVELS.length;
    process.stdout.write(`Opening ${2 * total} access requests and ${total} bare workflows…\n`);
    const cases = await openCases(client, db, 2 * total);
    const echoes = await startEchoes(client, total);

    const post = (caseId: string) =>
      new Promise<void>((resolve, reject) => {
        const body = JSON.stringify({ step: 'departmentHeadApproval', decision: 'approve' });
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            agent,
            method: 'POST',
            path: `/api/v1/cases/${caseId}/decisions`,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              res.statusCode === 200
                ? resolve()
                : reject(new Error(`decision on ${caseId}: HTTP ${res.statusCode}`)),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });

    const decideDirectly = (caseId: string) =>
      client.workflow
        .getHandle(caseId)
        .executeUpdate(decideUpdate, {
          args: [
            {
              step: 'departmentHeadApproval',
              decision: 'approve',
              actor: { id: 'bench-head', roles: ['department_head'] },
              channel: 'api',
            },
          ],
        })
        .then(() => undefined);

    const rows: Row[] = [];
    let offset = 0;
    for (const concurrency of LEVELS) {
      const ids = cases.slice(2 * offset, 2 * offset + perLevel);
      const directIds = cases.slice(2 * offset + perLevel, 2 * offset + 2 * perLevel);
      const bareIds = echoes.slice(offset, offset + perLevel);
      offset += perLevel;
      // Warm-up on both paths, then the two measured runs back to back.
      await measure(WARMUP, concurrency, (i) =>
        client.workflow
          .getHandle(bareIds[i])
          .executeUpdate(echoUpdate, { args: [i] })
          .then(() => undefined),
      );
      await measure(WARMUP, concurrency, (i) => post(ids[i]));
      await measure(WARMUP, concurrency, (i) => decideDirectly(directIds[i]));
      const bare = summarize(
        await measure(DECISIONS, concurrency, (i) =>
          client.workflow
            .getHandle(bareIds[WARMUP + i])
            .executeUpdate(echoUpdate, { args: [i] })
            .then(() => undefined),
        ),
      );
      const direct = summarize(
        await measure(DECISIONS, concurrency, (i) => decideDirectly(directIds[WARMUP + i])),
      );
      const api = summarize(await measure(DECISIONS, concurrency, (i) => post(ids[WARMUP + i])));
      rows.push({ concurrency, bare, direct, api });
    }
    report(rows);
    agent.destroy();
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await db.destroy();
    await Promise.all([temporal.stop(), pg.stop()]);
    rmSync(root, { recursive: true, force: true });
  }
}

/** Starts access requests and waits until each waits for the department head. */
async function openCases(client: Client, db: ReturnType<typeof createDb>, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `BEN-2026-${String(i + 1).padStart(6, '0')}`);
  await measure(n, 32, async (i) => {
    await client.workflow.start('accessRequest', {
      taskQueue: TASK_QUEUE,
      workflowId: ids[i],
      args: [
        {
          caseId: ids[i],
          process: 'access',
          title: 'benchmark',
          requester: 'bench-requester',
          priority: 'normal',
        },
      ],
    });
  });
  for (;;) {
    const [{ count }] = await db('cases').where({ stage: 'departmentHeadApproval' }).count({ count: '*' });
    if (Number(count) >= n) return ids;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function startEchoes(client: Client, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `bench-echo-${i}`);
  await measure(n, 32, async (i) => {
    await client.workflow.start('benchEcho', { taskQueue: TASK_QUEUE, workflowId: ids[i] });
  });
  return ids;
}

interface Row {
  concurrency: number;
  bare: LatencySummary;
  direct: LatencySummary;
  api: LatencySummary;
}

function report(rows: Row[]): void {
  const ms = (v: number) => v.toFixed(1).padStart(7);
  const lines = [
    '',
    `Decision round trip, ${DECISIONS} decisions per run (ms)`,
    '',
    '| concurrency | path | p50 | p95 | p99 | mean |',
    '| ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  const row = (c: number, name: string, l: LatencySummary) =>
    `| ${c} | ${name} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${ms(l.mean)} |`;
  for (const { concurrency, bare, direct, api } of rows) {
    lines.push(row(concurrency, 'bare executeUpdate, trivial workflow', bare));
    lines.push(row(concurrency, 'decide Update on a case, no HTTP', direct));
    lines.push(row(concurrency, 'POST /decisions', api));
  }
  lines.push('');
  for (const { concurrency, bare, direct, api } of rows) {
    const ratio = api.p50 / bare.p50;
    lines.push(
      `concurrency ${concurrency}: p50 ratios: API / bare ${ratio.toFixed(2)} (${ratio <= 1.3 ? 'within' : 'OVER'} the 1.30 target); ` +
        `API / direct Update ${(api.p50 / direct.p50).toFixed(2)}; direct Update / bare ${(direct.p50 / bare.p50).toFixed(2)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

runMain(main);
