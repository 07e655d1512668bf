// Makes sure the tools the dev stack and the tests need are present, building or fetching
// them once into .tools/ (git-ignored). Plain Node, no dependencies: it runs before `npm ci`.
//
//   node scripts/tools/ensure-tools.mjs [temporal] [test-server] [chromium] [schemathesis]
//
// Temporal CLI, in this order: TEMPORAL_ADDRESS set → nothing needed; `temporal` on PATH;
// .tools/bin/temporal; `go install` into .tools/bin; else @temporalio/testing downloads it
// later (needs internet). Java test server: `mvn dependency:copy-dependencies` into
// .tools/temporal-test-server/lib plus a launcher script. Schemathesis (the outside API fuzzer):
// a Python venv in .tools/schemathesis with the pinned release from PyPI.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tools = path.join(root, '.tools');
const TEMPORAL_CLI = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

function say(line) {
  process.stdout.write(`[tools] ${line}\n`);
}

export function ensureTemporalCli() {
  if (process.env.TEMPORAL_ADDRESS) {
    say(`Temporal: using the cluster at TEMPORAL_ADDRESS=${process.env.TEMPORAL_ADDRESS}; starting none`);
    return 'external';
  }
  const found = onPath('temporal');
  if (found) {
    say(`Temporal: CLI on PATH (${found})`);
    return found;
  }
  const local = path.join(tools, 'bin', 'temporal');
  if (existsSync(local)) {
    say(`Temporal: CLI in .tools (${local})`);
    return local;
  }
  if (onPath('go')) {
    say(`Temporal: building the CLI once with go install ${TEMPORAL_CLI} (a few minutes)…`);
    mkdirSync(path.join(tools, 'bin'), { recursive: true });
    const result = spawnSync('go', ['install', TEMPORAL_CLI], {
      stdio: 'inherit',
      env: { ...process.env, GOBIN: path.join(tools, 'bin') },
    });
    if (result.status === 0 && existsSync(local)) {
      say(`Temporal: built ${local}`);
      return local;
    }
    say('Temporal: go install failed; falling back to the CLI download of @temporalio/testing');
    return 'download';
  }
  say('Temporal: no CLI and no Go; @temporalio/testing will download the CLI (needs internet)');
  return 'download';
}

export function ensureTestServer() {
  const dir = path.join(tools, 'temporal-test-server');
  const lib = path.join(dir, 'lib');
  const launcher = path.join(dir, 'temporal-test-server');
  const hasJars = existsSync(lib) && readdirSync(lib).some((f) => f.startsWith('temporal-test-server'));
  if (!hasJars) {
    if (!onPath('mvn') || !onPath('java')) {
      throw new Error(
        'The time-skipping workflow tests need Java 17+ and Maven (mvn) on PATH to fetch the test server',
      );
    }
    say('Time-skipping test server: fetching io.temporal:temporal-test-server from Maven Central…');
    execFileSync(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        path.join(root, 'scripts', 'tools', 'test-server-pom.xml'),
        'dependency:copy-dependencies',
        `-DoutputDirectory=${lib}`,
        '-DincludeScope=runtime',
      ],
      { stdio: 'inherit' },
    );
  }
  if (!existsSync(launcher)) {
    // The SDK passes only the port; time skipping starts locked and the SDK unlocks it while a test waits.
    writeFileSync(
      launcher,
      '#!/bin/sh\nexec java -cp "$(dirname "$0")/lib/*" io.temporal.testserver.TestServer "$@"\n',
    );
    chmodSync(launcher, 0o755);
  }
  say(`Time-skipping test server: ${launcher}`);
  return launcher;
}

/**
 * Headless Chromium for the browser tests (approval links opened as a person would) and for
 * printing service reports to PDF, with what the reports need beside it: Debian's `chromium` at
 * /usr/bin/chromium, `fonts-noto-cjk` (without a CJK font Chromium prints Chinese as empty boxes)
 * and `poppler-utils` (`pdftotext`, `pdftoppm`: the report tests read the PDF's text and render a
 * page). Installed with apt-get when missing and we are root, else a clear message. Idempotent:
 * what is installed is only reported.
 */
const CHROMIUM_PACKAGES = [
  { name: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  {
    name: 'fonts-noto-cjk',
    present: () => existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'),
  },
  { name: 'poppler-utils', present: () => Boolean(onPath('pdftotext') && onPath('pdftoppm')) },
];

export function ensureChromium() {
  const executable = '/usr/bin/chromium';
  const missing = CHROMIUM_PACKAGES.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0) {
    say(`Chromium: ${executable} (with fonts-noto-cjk, poppler-utils)`);
    return executable;
  }
  if (typeof process.getuid !== 'function' || process.getuid() !== 0 || !onPath('apt-get')) {
    throw new Error(
      `The browser and report tests need ${missing.join(', ')}: run \`apt-get install -y ${missing.join(' ')}\` as root`,
    );
  }
  say(`Chromium: ${missing.join(', ')} not installed; running apt-get update…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  say(`Chromium: running apt-get install -y ${missing.join(' ')}…`);
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  });
  if (!existsSync(executable)) throw new Error(`apt-get installed chromium but ${executable} is missing`);
  say(`Chromium: installed ${missing.join(', ')}`);
  return executable;
}

export const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * Schemathesis, pinned, in a venv of its own (`.tools/schemathesis`), from PyPI with the
 * system's python3. Idempotent: a venv with the pinned version is only reported.
 */
export function ensureSchemathesis() {
  const venv = path.join(tools, 'schemathesis');
  const executable = path.join(venv, 'bin', 'schemathesis');
  const stamp = path.join(venv, `opsflow-pinned-${SCHEMATHESIS_VERSION}`);
  if (existsSync(executable) && existsSync(stamp)) {
    say(`Schemathesis ${SCHEMATHESIS_VERSION}: ${executable}`);
    return executable;
  }
  const python = onPath('python3');
  if (!python) throw new Error('The API contract test needs python3 (3.9+) to install schemathesis');
  say(`Schemathesis: installing ${SCHEMATHESIS_VERSION} from PyPI into ${venv}…`);
  execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(
    path.join(venv, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`],
    { stdio: 'inherit' },
  );
  writeFileSync(stamp, '');
  say(`Schemathesis ${SCHEMATHESIS_VERSION}: ${executable}`);
  return executable;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wanted = process.argv.slice(2);
  const all = wanted.length === 0;
  try {
    if (all || wanted.includes('temporal')) ensureTemporalCli();
    if (all || wanted.includes('test-server')) ensureTestServer();
    if (wanted.includes('chromium')) ensureChromium();
    if (all || wanted.includes('schemathesis')) ensureSchemathesis();
  } catch (err) {
    process.stderr.write(`[tools] ${err.message}\n`);
    process.exit(1);
  }
}
