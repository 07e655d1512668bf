/** `/metrics`: Prometheus text with the documented names, figures read from the read model. */
import request from 'supertest';
import { uniqueProcess } from '../../support/cases';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** The value of one sample line, e.g. `opsflow_cases_open{process="x",stage="y"}`. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('metrics are Prometheus text with every documented name', async () => {
  const res = await request(h.app).get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  for (const [name, type] of [
    ['opsflow_http_request_duration_seconds', 'histogram'],
    ['opsflow_cases_open', 'gauge'],
    ['opsflow_cases_overdue', 'gauge'],
    ['opsflow_outbox_backlog', 'gauge'],
    ['opsflow_outbox_oldest_pending_seconds', 'gauge'],
    ['opsflow_sla_events_total', 'counter'],
    ['opsflow_api_process_resident_memory_bytes', 'gauge'],
  ]) {
    expect(res.text).toContain(`# TYPE ${name} ${type}\n`);
  }
  expect(sample(res.text, 'opsflow_outbox_backlog{status="pending"}')).toBeGreaterThanOrEqual(0);
  expect(sample(res.text, 'opsflow_sla_events_total{type="sla.escalated"}')).toBeGreaterThanOrEqual(0);
});

test('open and overdue cases are counted by process and stage from the read model', async () => {
  const process = uniqueProcess('metrics');
  const row = (caseId: string, dueAt: Date | null, state = 'open') => ({
    case_id: caseId,
    version: 1,
    process,
    title: 'metrics',
    state,
    stage: 'review',
    priority: 'normal',
    requester: 'u-requester',
    due_at: dueAt,
    created_at: new Date(),
    updated_at: new Date(),
  });
  await h
    .db('cases')
    .insert([
      row(`${process}-1`, new Date(Date.now() - 60_000)),
      row(`${process}-2`, new Date(Date.now() + 3_600_000)),
      row(`${process}-3`, null),
      row(`${process}-4`, new Date(Date.now() - 60_000), 'closed'),
    ]);
  const res = await request(h.app).get('/metrics');
  expect(sample(res.text, `opsflow_cases_open{process="${process}",stage="review"}`)).toBe(3);
  expect(sample(res.text, `opsflow_cases_overdue{process="${process}",stage="review"}`)).toBe(1);
});

test('request latency is labelled by route template and status, never by the raw path', async () => {
  const auth = await h.bearer(await h.user('metrics-reader', ['requester']));
  await request(h.app).get('/api/v1/cases/NOPE-2026-000001').set('Authorization', auth);
  await request(h.app).get('/healthz');
  await request(h.app).get('/no/such/route');
  const res = await request(h.app).get('/metrics');
  expect(
    sample(
      res.text,
      'opsflow_http_request_duration_seconds_count{method="GET",route="/api/v1/cases/:id",status="404"}',
    ),
  ).toBe(1);
  expect(
    sample(
      res.text,
      'opsflow_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}',
    ),
  ).toBe(1);
  expect(
    sample(
      res.text,
      'opsflow_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}',
    ),
  ).toBe(1);
  expect(res.text).not.toContain('NOPE-2026-000001');
});
