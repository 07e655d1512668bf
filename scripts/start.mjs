// `npm start` on a fresh clone: install dependencies if missing, make sure the Temporal CLI is
// there, compile, then run the dev stack in the foreground. Plain Node with no dependencies,
// because it runs before `npm ci`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTemporalCli } from './tools/ensure-tools.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) run('npm', ['ci']);
ensureTemporalCli();
run(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);

// The dev stack runs on the repository's development keys, so it says so explicitly; any other
// NODE_ENV is production to the config loader and needs real JWT_SECRETS and LINK_SECRETS.
const stack = spawn(process.execPath, [path.join('dist', 'runtime', 'dev-stack.js')], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'development' },
});
// Ctrl-C reaches the dev stack directly (same process group); a signal sent to this process only is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stack.kill(signal));
stack.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
