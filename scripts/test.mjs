// `npm test`: every layer, in order of cost — lint, type-check, then jest's unit, workflow
// (time-skipping server) and integration (dev server + PostgreSQL, real SMTP, headless
// Chromium) projects. It fetches the tools it needs first (Temporal CLI, Java test server,
// Debian's Chromium); the servers themselves are started and stopped by the tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ensureChromium,
  ensureSchemathesis,
  ensureTemporalCli,
  ensureTestServer,
} from './tools/ensure-tools.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function step(title, command, args) {
  process.stdout.write(`\n=== ${title}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`\n${title} failed\n`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) step('install', 'npm', ['ci']);
ensureTemporalCli();
ensureTestServer();
ensureChromium();
ensureSchemathesis();
const bin = (name) => path.join('node_modules', '.bin', name);
step('lint', bin('eslint'), ['.']);
step('format', bin('prettier'), ['--check', '.']);
step('type-check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
step('tests', bin('jest'), ['--ci', ...process.argv.slice(2)]);
