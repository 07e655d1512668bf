/**
 * The outside fuzzer: schemathesis (pinned, installed into .tools/schemathesis by
 * scripts/tools/ensure-tools.mjs) reads the live API's own /openapi.json and throws generated
 * and mutated requests at every operation, as a requester and as an admin. Any 5xx, any status
 * the document does not list for the operation, and any response that breaks its declared
 * content type or schema fails the test.
 *
 * The admin identity rewrites users and master data, so this file runs the API on a PostgreSQL
 * of its own (throw-away data directory, free port), never on the database other tests share.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, chmodSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../../../db/connection';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../db/embedded-postgres';
import { migrateLatest } from '../../../db/migrate';
import { toolsDir } from '../../../runtime/project-root';
import { startHarness, type Harness } from './harness';

const SCHEMATHESIS = process.env.SCHEMATHESIS ?? path.join(toolsDir, 'schemathesis', 'bin', 'schemathesis');
const SEED = process.env.SCHEMATHESIS_SEED ?? '20261121';
/** Seconds of fuzzing per identity; the whole file stays under two minutes. */
const MAX_TIME = process.env.SCHEMATHESIS_MAX_TIME ?? '35';

let root: string;
let postgres: EmbeddedPostgres;
let h: Harness;
let server: Server;
let sharedDatabaseUrl: string | undefined;

beforeAll(async () => {
  if (!existsSync(SCHEMATHESIS))
    throw new Error(`schemathesis is not installed at ${SCHEMATHESIS}: run npm run tools (or npm test)`);
  root = mkdtempSync(path.join(os.tmpdir(), 'opsflow-schemathesis-'));
  chmodSync(root, 0o755);
  postgres = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg') });
  const db = createDb(postgres.url, 1);
  await migrateLatest(db);
  await db.destroy();
  sharedDatabaseUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = postgres.url;
  // No failed-authentication budget: the fuzzer sends broken credentials on purpose.
  h = await startHarness({ AUTH_FAILURES_PER_MINUTE: '1000000' });
  server = h.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.close();
  process.env.DATABASE_URL = sharedDatabaseUrl;
  await postgres?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

function schemathesis(bearer: string): Promise<{ code: number | null; output: string }> {
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const child = spawn(
    SCHEMATHESIS,
    [
      'run',
      `${base}/openapi.json`,
      '--checks',
      'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
      '--phases',
      'examples,coverage,fuzzing',
      '--max-examples',
      '25',
      '--max-time',
      MAX_TIME,
      '--workers',
      '1',
      '--seed',
      SEED,
      '--request-timeout',
      '20',
      '--header',
      `Authorization: ${bearer}`,
      '--suppress-health-check',
      'all',
      '--warnings',
      'off',
      '--no-color',
    ],
    {
      // Its crash cache (.schemathesis/) goes to the throw-away directory, not the checkout.
      cwd: root,
      env: { ...process.env, SCHEMATHESIS_HOOKS: '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), (Number(MAX_TIME) + 40) * 1000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

test.each([['requester'], ['admin']] as const)(
  'schemathesis finds no 5xx and no response outside the document, as %s',
  async (who) => {
    const id = await h.user(`st-${who}`, who === 'admin' ? ['admin'] : ['requester']);
    const run = await schemathesis(await h.bearer(id));
    if (process.env.SCHEMATHESIS_VERBOSE === '1') process.stdout.write(run.output);
    // On failure the diff shows schemathesis's own report: the operation, the request to reproduce it.
    expect({ code: run.code, report: run.code === 0 ? '' : run.output.slice(-8000) }).toEqual({
      code: 0,
      report: '',
    });
  },
  180_000,
);
