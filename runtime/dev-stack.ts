/**
 * `npm start`: the whole product on embedded defaults, in the foreground.
 * PostgreSQL (DATABASE_URL, else embedded in .data/pg), the Temporal dev server
 * (TEMPORAL_ADDRESS, else `temporal server start-dev` on .data/temporal.sqlite with the Web UI),
 * migrations, then the worker and the API as child processes, restarted if they die.
 * Ctrl-C stops everything it started; the data stays in .data/ for the next start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '../db/connection';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrateLatest } from '../db/migrate';
import { demoTokenHelp, seedDemoUsers } from '../scripts/seed-demo-users';
import { loadConfig, runMain } from './config';
import { startDevMailSink } from './dev-mail-sink';
import { createLogger } from './logger';
import { startTemporalDevServer } from './temporal-dev-server';

interface Supervised {
  name: string;
  script: string;
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
  const applied = await migrateLatest(db);
  const demoUsers = await seedDemoUsers(db);
  await db.destroy();
  log.info({ applied }, 'migrations up to date');

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
    { name: 'worker', script: path.join(__dirname, 'worker.js'), stopping: false },
    { name: 'api', script: path.join(__dirname, '..', 'api', 'server.js'), stopping: false },
  ];
  const launch = (s: Supervised) => {
    s.child = spawn(process.execPath, [s.script], { env, stdio: 'inherit' });
    s.child.once('exit', (code, signal) => {
      if (s.stopping) return;
      log.warn({ process: s.name, code, signal }, 'process died; restarting in 1 s');
      setTimeout(() => launch(s), 1000);
    });
  };
  children.forEach(launch);

  process.stdout.write(
    [
      '',
      'Opsflow is starting:',
      `  API          http://localhost:${config.api.port}   (ready when /readyz answers 200)`,
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
}

runMain(main);
