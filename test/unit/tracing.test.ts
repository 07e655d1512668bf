import { loadConfig } from '../../runtime/config';
import { createTracing } from '../../runtime/tracing';

test('tracing is off by default: no interceptors, nothing exported', () => {
  expect(createTracing(loadConfig({ NODE_ENV: 'test' }), 'api')).toBeNull();
});

test('with OPSFLOW_TRACING set, the client, activity and workflow-sink interceptors are there', async () => {
  const tracing = createTracing(loadConfig({ NODE_ENV: 'test', OPSFLOW_TRACING: 'otlp' }), 'worker');
  expect(tracing).not.toBeNull();
  expect(tracing?.clientInterceptors.workflow).toHaveLength(1);
  expect(tracing?.workerInterceptors.activity).toHaveLength(1);
  expect(Object.keys(tracing?.sinks ?? {})).toEqual(['exporter']);
  await tracing?.shutdown();
});
