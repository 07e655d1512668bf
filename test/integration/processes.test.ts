/**
 * The compiled entry points as an operator runs them: a bad setting stops start-up with one
 * line, and a worker killed with SIGKILL mid-case loses nothing once a worker runs again.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import type { Knex } from 'knex';
import { freePort } from '../../db/embedded-postgres';
import { decideUpdate } from '../../workflows/contracts/messages';
import {
  caseEvents,
  caseInput,
  eventsOfType,
  givenPolicy,
  startAccessRequest,
  uniqueProcess,
} from '../support/cases';
import { buildCompiled, compiled, root } from '../support/compiled';
import { eventually, testDb } from '../support/db';

beforeAll(buildCompiled, 180_000);

test.each([
  ['api', ['api', 'server.js'], { PORT: 'abc' }, 'PORT'],
  ['worker', ['runtime', 'worker.js'], { DATABASE_URL: 'notaurl' }, 'DATABASE_URL'],
])(
  'the %s refuses a bad setting with one line naming it and a non-zero exit',
  (_name, entry, env, variable) => {
    const run = spawnSync(process.execPath, [compiled(...entry)], {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Configuration error: ${variable}: `));
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  },
);

const JWT_KEY = 'production-jwt-key-for-the-process-test-0001';
const LINK_KEY = 'production-link-key-for-the-process-test-001';

test.each([
  ['api', { NODE_ENV: 'production' }, ['api', 'server.js']],
  ['api', { NODE_ENV: 'prod' }, ['api', 'server.js']],
  ['api', { NODE_ENV: 'staging' }, ['api', 'server.js']],
  ['api', {}, ['api', 'server.js']],
  ['worker', { NODE_ENV: 'production', JWT_SECRETS: JWT_KEY }, ['runtime', 'worker.js']],
])(
  'the %s with environment %j and no keys of its own refuses to start on the development keys',
  (_name, env, entry) => {
    const run = spawnSync(process.execPath, [compiled(...entry)], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Configuration error: (JWT|LINK|COMMAND)_SECRETS: is required unless NODE_ENV is development or test/,
    );
  },
);

test('a production API serves no dev tokens', async () => {
  const port = await freePort();
  const api = spawn(process.execPath, [compiled('api', 'server.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'staging',
      JWT_SECRETS: JWT_KEY,
      LINK_SECRETS: LINK_KEY,
      COMMAND_SECRETS: LINK_KEY.split('').reverse().join(''),
      DATABASE_URL: process.env.DATABASE_URL,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    const post = () =>
      fetch(`http://127.0.0.1:${port}/api/v1/auth/dev-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'demo-requester' }),
      });
    let response: Response | null = null;
    for (let i = 0; i < 100 && !response; i++) {
      response = await post().catch(() => null);
      if (!response) await new Promise((r) => setTimeout(r, 200));
    }
    expect(response?.status).toBe(404);
    expect(await response?.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  } finally {
    api.kill('SIGKILL');
  }
});

function startWorkerProcess(taskQueue: string): ChildProcess {
  return spawn(process.execPath, [compiled('runtime', 'worker.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: process.env.DATABASE_URL,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: taskQueue,
      LOG_LEVEL: 'warn',
      WORKER_METRICS_ADDRESS: 'off',
    },
    stdio: 'ignore',
  });
}

test('a worker killed with SIGKILL mid-case loses no decision and no audit entry', async () => {
  const db: Knex = testDb();
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const client = new Client({ connection });
  const taskQueue = uniqueProcess('sigkill-queue');
  const process_ = uniqueProcess('sigkill');
  await givenPolicy(db, process_, {});
  let worker = startWorkerProcess(taskQueue);
  try {
    const handle = await startAccessRequest(client, taskQueue, caseInput(process_));
    await eventsOfType(db, handle.workflowId, 'step.opened');
    await handle.executeUpdate(decideUpdate, {
      args: [
        {
          step: 'departmentHeadApproval',
          decision: 'approve',
          actor: { id: 'u-head', roles: ['department_head'] },
          channel: 'api',
        },
      ],
    });
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));

    // With no worker, a decision is still accepted by the server once a worker polls again.
    worker = startWorkerProcess(taskQueue);
    // An activity the killed worker had started is retried after its 10 s start-to-close timeout.
    await eventsOfType(db, handle.workflowId, 'step.opened', 2, 60_000);
    await handle.executeUpdate(decideUpdate, {
      args: [
        {
          step: 'opsHeadApproval',
          decision: 'approve',
          actor: { id: 'u-ops', roles: ['ops_head'] },
          channel: 'api',
        },
      ],
    });
    expect(await handle.result()).toMatchObject({ outcome: 'approved' });
    const events = await caseEvents(db, handle.workflowId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'step.decided').map((e) => e.actor)).toEqual(['u-head', 'u-ops']);
    expect(events[events.length - 1].type).toBe('case.closed');
  } finally {
    worker.kill('SIGTERM');
    await connection.close();
    await db.destroy();
  }
});

test("the worker serves the Temporal SDK's metrics in Prometheus format", async () => {
  const address = `127.0.0.1:${await freePort()}`;
  const worker = spawn(process.execPath, [compiled('runtime', 'worker.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: process.env.DATABASE_URL,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: uniqueProcess('metrics-queue'),
      LOG_LEVEL: 'warn',
      WORKER_METRICS_ADDRESS: address,
    },
    stdio: 'ignore',
  });
  try {
    const body = await eventually(
      async () => {
        const res = await fetch(`http://${address}/metrics`).catch(() => null);
        const text = res?.ok ? await res.text() : '';
        return /^temporal_num_pollers\{/m.test(text) ? text : null;
      },
      'the worker to serve its metrics',
      60_000,
    );
    expect(body).toMatch(/^# TYPE temporal_num_pollers gauge$/m);
    expect(body).toMatch(/^temporal_num_pollers\{[^}]*poller_type="workflow_task"/m);
  } finally {
    // A worker that already exited (a refused configuration) sends no second exit event.
    if (worker.exitCode === null && worker.signalCode === null) {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
    }
  }
});
