/**
 * The one configuration loader. Every process (worker, API, dev stack, scripts) reads its
 * settings here, validated, so a bad value stops start-up with one line naming the variable.
 * Variables are documented in `.env.example`; a `.env` file in the working directory is read
 * first, and the real environment wins over it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * `development` and `test` are the only modes that may run on the keys committed in this
 * repository and that serve dev tokens; each must be asked for by name in NODE_ENV. Anything
 * else — unset, `production`, `prod`, `staging`, a typo — is production.
 */
export type Mode = 'development' | 'test' | 'production';

export interface Config {
  mode: Mode;
  /** PostgreSQL URL; unset means the embedded PostgreSQL of the dev stack. */
  databaseUrl?: string;
  temporal: {
    /** host:port of a Temporal frontend; unset means the dev stack starts its own. */
    address?: string;
    namespace: string;
    taskQueue: string;
    /** Where an admin opens the Web UI (used for links to a case). */
    uiUrl: string;
    /** Ports of the dev server that `npm start` runs. */
    devGrpcPort: number;
    devUiPort: number;
  };
  api: {
    port: number;
    /** Base URL people reach the API at: approval links in e-mail point here. */
    publicUrl: string;
    /** Origins allowed by CORS; empty means CORS is off. */
    corsOrigins: string[];
    /** Largest JSON body accepted, e.g. `100kb`. */
    bodyLimit: string;
    /** Failed authentications (401) one client may cause per minute before it gets 429s. */
    authFailuresPerMinute: number;
  };
  auth: {
    /** HMAC keys for people's JWTs: the first signs, all verify (rotation). */
    jwtSecrets: string[];
    /** Issuer and audience written into and required of every token. */
    jwtIssuer: string;
    /** Audience written into and required of every token. */
    jwtAudience: string;
    /** Lifetime of tokens the API issues (dev tokens). */
    jwtTtlMinutes: number;
    /**
     * HMAC keys with which the API signs the commands it sends to a case and the worker checks
     * them (first signs, all verify); a command without a valid proof is recorded as an operator's.
     */
    commandSecrets: string[];
  };
  mail: {
    /** smtp://user:pass@host:port; unset means the dev stack's local SMTP sink. */
    smtpUrl?: string;
    from: string;
    /** HMAC keys for approval links in e-mail: the first signs, all verify (rotation). */
    linkSecrets: string[];
    /** How long an approval link stays valid. */
    linkTtlHours: number;
  };
  worker: {
    /** host:port where the worker serves the Temporal SDK's metrics for Prometheus; null = off. */
    metricsAddress: string | null;
    /** Workflow tasks (activations) the worker runs at once. */
    maxConcurrentWorkflowTasks: number;
    /** Activities the worker runs at once. */
    maxConcurrentActivities: number;
    /** Concurrent long polls for workflow tasks (sticky and normal queue together). */
    workflowTaskPollers: number;
    /** Share of the workflow-task polls that go to the shared queue (new cases, other workers' cases), 0–1. */
    nonStickyPollRatio: number;
    /** Concurrent long polls for activity tasks. */
    activityTaskPollers: number;
    /**
     * Cases kept in the worker's cache; a task for one that is not cached replays its history.
     * Bounded, not sized from the heap: each cached case holds about 0.55 MiB (README, Capacity).
     */
    maxCachedWorkflows: number;
    /** How long a task waits for this worker on its sticky queue before any worker may take it. */
    stickyQueueTimeoutMs: number;
    /**
     * The worker process's V8 old-space limit. V8 sized from the machine lets garbage pile up to
     * gigabytes before it collects; bounded, the worker's memory follows what it holds.
     */
    heapMiB: number;
  };
  /** Traces across API → workflow → activity with OpenTelemetry; off unless configured. */
  tracing: {
    exporter: 'off' | 'otlp' | 'console';
    /** Base URL of an OTLP/HTTP collector (traces go to `<endpoint>/v1/traces`). */
    otlpEndpoint: string;
    serviceName: string;
  };
  /** Root of local state: the dev server's SQLite file, embedded PostgreSQL, caches. */
  dataDir: string;
  /** Organisation time zone: working calendars and business hours are read in it. */
  timeZone: string;
  /** Headless Chromium that prints reports to PDF (Debian's `chromium`, with fonts-noto-cjk for Chinese). */
  chromiumPath: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback?: string): string | undefined {
  const value = env[name];
  if (value === undefined || value.trim() === '') return fallback;
  return value.trim();
}

function port(env: Env, name: string, fallback: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new ConfigError(name, `must be a port number from 1 to 65535, got "${raw}"`);
  }
  return Number(raw);
}

function url(env: Env, name: string, protocols: string[], fallback?: string): string | undefined {
  const raw = str(env, name, fallback);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL (${protocols.join(' or ')}), got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return raw;
}

function hostPort(env: Env, name: string): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  if (!/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(raw)) {
    throw new ConfigError(name, `must be host:port, got "${raw}"`);
  }
  return raw;
}

/** host:port, or `off` for none. */
function optionalHostPort(env: Env, name: string, fallback: string): string | null {
  const raw = str(env, name, fallback) as string;
  if (raw === 'off') return null;
  return hostPort({ [name]: raw }, name) as string;
}

function fraction(env: Env, name: string, fallback: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw) || value <= 0 || value > 1)
    throw new ConfigError(name, `must be a number above 0 and at most 1, got "${raw}"`);
  return value;
}

function list(env: Env, name: string): string[] {
  return (str(env, name) ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new ConfigError(name, `must be a positive whole number, got "${raw}"`);
  return Number(raw);
}

// Development defaults only: a production deployment sets its own (see .env.example).
const DEV_JWT_SECRET = 'opsflow-dev-jwt-secret-change-me-0123456789';
const DEV_LINK_SECRET = 'opsflow-dev-link-secret-change-me-0123456789';
const DEV_COMMAND_SECRET = 'opsflow-dev-command-secret-change-me-012345';

export function modeOf(env: Env): Mode {
  const raw = str(env, 'NODE_ENV');
  return raw === 'development' || raw === 'test' ? raw : 'production';
}

/**
 * Comma-separated signing keys, newest first; each at least 32 characters. Only development
 * and test fall back to the repository's keys: a production process without its own refuses
 * to start, because anyone can sign a token with a key that is published.
 */
function secrets(env: Env, name: string, fallback: string, mode: Mode, required: boolean): string[] {
  const values = list(env, name);
  if (values.length === 0) {
    if (mode !== 'production') return [fallback];
    if (!required) return [];
    const nodeEnv = str(env, 'NODE_ENV');
    throw new ConfigError(
      name,
      `is required unless NODE_ENV is development or test (NODE_ENV is ${nodeEnv === undefined ? 'unset' : `"${nodeEnv}"`}); the built-in development key is public`,
    );
  }
  const weak = values.find((v) => v.length < 32);
  if (weak !== undefined) throw new ConfigError(name, 'every key must be at least 32 characters long');
  return values;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = str(env, name, fallback) as T;
  if (!allowed.includes(raw))
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw;
}

function timeZone(env: Env, name: string, fallback: string): string {
  const raw = str(env, name, fallback) as string;
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
  } catch {
    throw new ConfigError(name, `must be an IANA time zone such as Asia/Shanghai, got "${raw}"`);
  }
  return raw;
}

/**
 * The worker's settings, checked together: each poll holds a workflow-task slot while it waits,
 * so with as many pollers as slots, idle polls can hold every slot and no task runs.
 */
function workerSettings(env: Env): Config['worker'] {
  const worker: Config['worker'] = {
    metricsAddress: optionalHostPort(env, 'WORKER_METRICS_ADDRESS', '127.0.0.1:9464'),
    maxConcurrentWorkflowTasks: positiveInt(env, 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', 40),
    maxConcurrentActivities: positiveInt(env, 'WORKER_MAX_CONCURRENT_ACTIVITIES', 100),
    workflowTaskPollers: positiveInt(env, 'WORKER_WORKFLOW_TASK_POLLERS', 10),
    nonStickyPollRatio: fraction(env, 'WORKER_NONSTICKY_POLL_RATIO', 0.2),
    activityTaskPollers: positiveInt(env, 'WORKER_ACTIVITY_TASK_POLLERS', 10),
    maxCachedWorkflows: positiveInt(env, 'WORKER_MAX_CACHED_WORKFLOWS', 2000),
    stickyQueueTimeoutMs: 1000 * positiveInt(env, 'WORKER_STICKY_QUEUE_TIMEOUT_SECONDS', 10),
    heapMiB: positiveInt(env, 'WORKER_HEAP_MIB', 1024),
  };
  if (worker.heapMiB < 256) {
    throw new ConfigError('WORKER_HEAP_MIB', `must be at least 256, got ${worker.heapMiB}`);
  }
  if (worker.workflowTaskPollers < 2 || 2 * worker.workflowTaskPollers > worker.maxConcurrentWorkflowTasks) {
    throw new ConfigError(
      'WORKER_WORKFLOW_TASK_POLLERS',
      `must be from 2 to half of WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${worker.maxConcurrentWorkflowTasks}), got ${worker.workflowTaskPollers}`,
    );
  }
  if (worker.maxCachedWorkflows < worker.maxConcurrentWorkflowTasks) {
    throw new ConfigError(
      'WORKER_MAX_CACHED_WORKFLOWS',
      `must be at least WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${worker.maxConcurrentWorkflowTasks}): a task runs on a cached case, got ${worker.maxCachedWorkflows}`,
    );
  }
  if (worker.activityTaskPollers > worker.maxConcurrentActivities) {
    throw new ConfigError(
      'WORKER_ACTIVITY_TASK_POLLERS',
      `must be at most WORKER_MAX_CONCURRENT_ACTIVITIES (${worker.maxConcurrentActivities}), got ${worker.activityTaskPollers}`,
    );
  }
  return worker;
}

/** The Node options a worker process is started with (`npm start`, the benchmarks, the chaos run). */
export function workerNodeOptions(worker: Config['worker']): string[] {
  return [`--max-old-space-size=${worker.heapMiB}`];
}

export interface LoadOptions {
  /**
   * False for commands that never sign or verify anything (migrate, calendar import, audit
   * verification): in production they get no keys instead of refusing to run.
   */
  needsSecrets?: boolean;
}

export function loadConfig(env: Env = readEnvironment(), options: LoadOptions = {}): Config {
  const needsSecrets = options.needsSecrets ?? true;
  const devGrpcPort = port(env, 'TEMPORAL_DEV_PORT', 7233);
  const devUiPort = port(env, 'TEMPORAL_UI_PORT', 8233);
  const apiPort = port(env, 'PORT', 3000);
  const mode = modeOf(env);
  return {
    mode,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres', 'postgresql']),
    temporal: {
      address: hostPort(env, 'TEMPORAL_ADDRESS'),
      namespace: str(env, 'TEMPORAL_NAMESPACE', 'default') as string,
      taskQueue: str(env, 'TEMPORAL_TASK_QUEUE', 'opsflow') as string,
      uiUrl: url(env, 'TEMPORAL_UI_URL', ['http', 'https'], `http://localhost:${devUiPort}`) as string,
      devGrpcPort,
      devUiPort,
    },
    api: {
      port: apiPort,
      publicUrl: url(env, 'PUBLIC_URL', ['http', 'https'], `http://localhost:${apiPort}`) as string,
      corsOrigins: list(env, 'CORS_ORIGINS'),
      bodyLimit: str(env, 'API_BODY_LIMIT', '100kb') as string,
      authFailuresPerMinute: positiveInt(env, 'AUTH_FAILURES_PER_MINUTE', 30),
    },
    auth: {
      jwtSecrets: secrets(env, 'JWT_SECRETS', DEV_JWT_SECRET, mode, needsSecrets),
      jwtIssuer: str(env, 'JWT_ISSUER', 'opsflow') as string,
      jwtAudience: str(env, 'JWT_AUDIENCE', 'opsflow-api') as string,
      jwtTtlMinutes: positiveInt(env, 'JWT_TTL_MINUTES', 480),
      commandSecrets: secrets(env, 'COMMAND_SECRETS', DEV_COMMAND_SECRET, mode, needsSecrets),
    },
    mail: {
      smtpUrl: url(env, 'SMTP_URL', ['smtp', 'smtps']),
      from: str(env, 'MAIL_FROM', 'Opsflow <opsflow@localhost>') as string,
      linkSecrets: secrets(env, 'LINK_SECRETS', DEV_LINK_SECRET, mode, needsSecrets),
      linkTtlHours: positiveInt(env, 'LINK_TTL_HOURS', 72),
    },
    worker: workerSettings(env),
    tracing: {
      exporter: oneOf(env, 'OPSFLOW_TRACING', ['off', 'otlp', 'console'], 'off'),
      otlpEndpoint: url(
        env,
        'OTEL_EXPORTER_OTLP_ENDPOINT',
        ['http', 'https'],
        'http://localhost:4318',
      ) as string,
      serviceName: str(env, 'OTEL_SERVICE_NAME', 'opsflow') as string,
    },
    dataDir: path.resolve(str(env, 'OPSFLOW_DATA_DIR', '.data') as string),
    timeZone: timeZone(env, 'OPSFLOW_TIME_ZONE', 'Asia/Shanghai'),
    chromiumPath: str(env, 'CHROMIUM_PATH', '/usr/bin/chromium') as string,
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  };
}

/** process.env over the variables of a local `.env` file, if there is one. */
function readEnvironment(): Env {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

/**
 * Runs an entry point; a configuration error becomes one line on stderr and exit code 1,
 * with no stack trace, as an operator expects of a misconfigured service.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
    } else {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exit(1);
  });
}
