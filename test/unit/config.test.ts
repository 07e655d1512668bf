import { ConfigError, loadConfig } from '../../runtime/config';

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('the configuration was accepted');
}

test('in development, with nothing else set, the embedded defaults apply', () => {
  const config = loadConfig({ NODE_ENV: 'development' });
  expect(config.mode).toBe('development');
  expect(config.databaseUrl).toBeUndefined();
  expect(config.temporal.address).toBeUndefined();
  expect(config.api.port).toBe(3000);
  expect(config.temporal.devUiPort).toBe(8233);
  expect(config.timeZone).toBe('Asia/Shanghai');
});

test.each([
  ['DATABASE_URL', 'notaurl'],
  ['DATABASE_URL', 'mysql://db/opsflow'],
  ['PORT', 'abc'],
  ['PORT', '70000'],
  ['TEMPORAL_ADDRESS', 'localhost'],
  ['OPSFLOW_TIME_ZONE', 'Mars/Olympus'],
  ['LOG_LEVEL', 'loud'],
  ['JWT_SECRETS', 'short'],
  ['SMTP_URL', 'http://mail'],
  ['LINK_TTL_HOURS', '0'],
  ['WORKER_METRICS_ADDRESS', '9464'],
  ['WORKER_MAX_CACHED_WORKFLOWS', '-1'],
  ['WORKER_MAX_CACHED_WORKFLOWS', '39'],
  ['WORKER_HEAP_MIB', '100'],
  ['OPSFLOW_TRACING', 'jaeger'],
])('a bad %s (%s) is refused naming the variable', (variable, value) => {
  const err = refusal({ NODE_ENV: 'test', [variable]: value });
  expect(err.variable).toBe(variable);
  expect(err.message.startsWith(`${variable}:`)).toBe(true);
});

test('several signing keys are kept in order, the first signing', () => {
  const a = 'a'.repeat(32);
  const b = 'b'.repeat(40);
  expect(loadConfig({ NODE_ENV: 'test', JWT_SECRETS: `${a}, ${b}` }).auth.jwtSecrets).toEqual([a, b]);
});

const jwtKey = 'j'.repeat(32);
const linkKey = 'l'.repeat(32);

test.each([['production'], ['prod'], ['staging'], ['Development'], ['']])(
  'NODE_ENV="%s" without JWT_SECRETS refuses to start instead of using the development key',
  (nodeEnv) => {
    const err = refusal({ NODE_ENV: nodeEnv, LINK_SECRETS: linkKey });
    expect(err.variable).toBe('JWT_SECRETS');
    expect(err.message).toMatch(/^JWT_SECRETS: is required unless NODE_ENV is development or test/);
  },
);

test('a production process without LINK_SECRETS refuses to start', () => {
  expect(refusal({ NODE_ENV: 'production', JWT_SECRETS: jwtKey, COMMAND_SECRETS: jwtKey }).variable).toBe(
    'LINK_SECRETS',
  );
});

test('a production process without COMMAND_SECRETS refuses to start', () => {
  expect(refusal({ NODE_ENV: 'production', JWT_SECRETS: jwtKey, LINK_SECRETS: linkKey }).variable).toBe(
    'COMMAND_SECRETS',
  );
});

test('with NODE_ENV unset the mode is production and the keys are required', () => {
  expect(refusal({}).variable).toBe('JWT_SECRETS');
  const config = loadConfig({ JWT_SECRETS: jwtKey, LINK_SECRETS: linkKey, COMMAND_SECRETS: jwtKey });
  expect(config.mode).toBe('production');
  expect(config.auth.jwtSecrets).toEqual([jwtKey]);
  expect(config.mail.linkSecrets).toEqual([linkKey]);
});

test('only development and test run on the built-in keys', () => {
  const dev = loadConfig({ NODE_ENV: 'development' });
  const test_ = loadConfig({ NODE_ENV: 'test' });
  expect(test_.mode).toBe('test');
  expect(test_.auth.jwtSecrets).toEqual(dev.auth.jwtSecrets);
});

test('commands that sign nothing run in production without keys, and get none', () => {
  const config = loadConfig({ NODE_ENV: 'production' }, { needsSecrets: false });
  expect(config.auth.jwtSecrets).toEqual([]);
  expect(config.mail.linkSecrets).toEqual([]);
});

test('worker metrics are served on 127.0.0.1:9464 unless moved or turned off', () => {
  expect(loadConfig({ NODE_ENV: 'test' }).worker.metricsAddress).toBe('127.0.0.1:9464');
  expect(loadConfig({ NODE_ENV: 'test', WORKER_METRICS_ADDRESS: '0.0.0.0:9100' }).worker.metricsAddress).toBe(
    '0.0.0.0:9100',
  );
  expect(loadConfig({ NODE_ENV: 'test', WORKER_METRICS_ADDRESS: 'off' }).worker.metricsAddress).toBeNull();
});

test('tracing is off unless an exporter is chosen', () => {
  expect(loadConfig({ NODE_ENV: 'test' }).tracing.exporter).toBe('off');
  expect(loadConfig({ NODE_ENV: 'test', OPSFLOW_TRACING: 'otlp' }).tracing).toEqual({
    exporter: 'otlp',
    otlpEndpoint: 'http://localhost:4318',
    serviceName: 'opsflow',
  });
});

test('workflow-task pollers are refused above half the workflow-task slots (idle polls would hold them all)', () => {
  const err = refusal({
    NODE_ENV: 'test',
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '10',
    WORKER_WORKFLOW_TASK_POLLERS: '10',
  });
  expect(err.variable).toBe('WORKER_WORKFLOW_TASK_POLLERS');
  expect(
    loadConfig({
      NODE_ENV: 'test',
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '20',
      WORKER_WORKFLOW_TASK_POLLERS: '4',
    }).worker,
  ).toMatchObject({ maxConcurrentWorkflowTasks: 20, workflowTaskPollers: 4 });
});
