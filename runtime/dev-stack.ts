/**
 * `npm start`: the whole product on embedded defaults, in the foreground.
 * PostgreSQL (DATABASE_URL, else embedded in .data/pg), the Temporal dev server
 * (TEMPORAL_ADDRESS, else `temporal server start-dev` on .data/temporal.sqlite with the Web UI),
 * migrations, then the worker and the API as child processes, restarted if they die.
 * Ctrl-C stops everything it started; the data stays in .data/ for the next start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { createDb } from '../db/connection';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { prepareDatabase } from '../db/migrate';
import { demoTokenHelp, seedDemoUsers } from '../scripts/seed-demo-users';
import { loadConfig, runMain, workerNodeOptions } from './config';
import { startDevMailSink } from './dev-mail-sink';
import { createLogger } from './logger';
import { workerPolls } from './task-queue-pollers';
import { startTemporalDevServer } from './temporal-dev-server';

interface Supervised {
  name: string;
  script: string;
  nodeOptions: string[];
  child?: ChildProcess;
  stopping: boolean;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('dev-stack', config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];

  let databaseUrl = config.databaseUrl;
  if (databaseUrl) {
    log.info('PostgreSQL: using DATABASE_URL');
  } else {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'pg') });
    stops.push(pg.stop);
    databaseUrl = pg.url;
    // Commands such as `npm run migrate` and `calendar:import` find the running database here.
    writeFileSync(path.join(config.dataDir, 'database-url'), `${databaseUrl}\n`, { mode: 0o600 });
    log.info({ port: pg.port, dataDir: path.join(config.dataDir, 'pg') }, 'PostgreSQL: embedded');
  }

  const db = createDb(databaseUrl, 1);
  const { applied, officialHolidays } = await prepareDatabase(db);
  const demoUsers = await seedDemoUsers(db);
  await db.destroy();
  log.info({ applied }, 'migrations up to date');
  if (officialHolidays) log.info(officialHolidays, 'default calendar: official holidays synced');

  let temporalAddress = config.temporal.address;
  let uiUrl: string | null = config.temporal.uiUrl;
  if (temporalAddress) {
    log.info({ address: temporalAddress }, 'Temporal: using TEMPORAL_ADDRESS');
  } else {
    const temporal = await startTemporalDevServer({
      dbFile: path.join(config.dataDir, 'temporal.sqlite'),
      port: config.temporal.devGrpcPort,
      uiPort: config.temporal.devUiPort,
      namespace: config.temporal.namespace,
    });
    stops.push(temporal.stop);
    temporalAddress = temporal.address;
    uiUrl = temporal.uiUrl;
    log.info({ address: temporal.address, binary: temporal.source }, 'Temporal: dev server');
  }

  let smtpUrl = config.mail.smtpUrl;
  let mailboxUrl = '(SMTP_URL: mail goes to the real server)';
  if (!smtpUrl) {
    const sink = await startDevMailSink({ dir: path.join(config.dataDir, 'mail') });
    stops.push(sink.stop);
    smtpUrl = sink.smtpUrl;
    mailboxUrl = sink.mailboxUrl;
    log.info({ smtpUrl, mailboxUrl }, 'SMTP: dev mail sink');
  }

  const env = {
    ...process.env,
    NODE_ENV: config.mode,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    SMTP_URL: smtpUrl,
  };
  const children: Supervised[] = [
    {
      name: 'worker',
      script: path.join(__dirname, 'worker.js'),
      nodeOptions: workerNodeOptions(config.worker),
      stopping: false,
    },
    { name: 'api', script: path.join(__dirname, '..', 'api', 'server.js'), nodeOptions: [], stopping: false },
  ];
  const launch = (s: Supervised) => {
    if (s.stopping) return;
    s.child = spawn(process.execPath, [...s.nodeOptions, s.script], { env, stdio: 'inherit' });
    s.child.once('exit', (code, signal) => {
      if (s.stopping) return;
      log.warn({ process: s.name, code, signal }, 'process died; restarting in 1 s');
      setTimeout(() => launch(s), 1000);
    });
  };
  let shuttingDown = false;
  const shutdown = async () => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info('stopping');
    await Promise.all(
      children.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.stopping = true;
            if (!s.child || s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
            s.child.once('exit', () => resolve());
            s.child.kill('SIGTERM');
          }),
      ),
    );
    for (const stop of stops.reverse()) await stop().catch((err) => log.error({ err }, 'stop failed'));
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  // The worker first, and the API only once the server sees it poll: the stack never reports
  // ready while a case would open with no worker to run its first step.
  const [worker, api] = children;
  launch(worker);
  const temporalConnection = await Connection.connect({ address: temporalAddress });
  await waitFor(
    () =>
      workerPolls(temporalConnection.workflowService, config.temporal.namespace, config.temporal.taskQueue),
    () => log.info({ taskQueue: config.temporal.taskQueue }, 'waiting for the worker to poll'),
  );
  await temporalConnection.close();
  log.info({ taskQueue: config.temporal.taskQueue }, 'worker polls');
  launch(api);
  await waitFor(
    () => apiReady(config.api.port),
    () => log.info({ port: config.api.port }, 'waiting for the API to answer /readyz'),
  );

  process.stdout.write(
    [
      '',
      'Opsflow is ready:',
      `  API          http://localhost:${config.api.port}   (/readyz answers 200)`,
      `  Temporal UI  ${uiUrl ?? '(headless)'}`,
      `  Temporal     ${temporalAddress}  namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue}`,
      `  Mailbox      ${mailboxUrl}`,
      `  API docs     http://localhost:${config.api.port}/docs`,
      '',
      demoTokenHelp(demoUsers, config.api.publicUrl),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

/** Polls `ready` every half second until it says yes; `waiting` is told every 15 s meanwhile. */
async function waitFor(ready: () => Promise<boolean>, waiting: () => void): Promise<void> {
  let last = Date.now();
  for (;;) {
    if (await ready().catch(() => false)) return;
    if (Date.now() - last > 15_000) {
      waiting();
      last = Date.now();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function apiReady(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/readyz', timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

runMain(main);
