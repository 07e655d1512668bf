/**
 * The periodic change review's figures (001 §26) in every format, as a reader meets them: one day
 * of this file's own closed changes, read through the HTTP API as JSON (a hand count), as the HTML
 * page (its headings, charts, and tables holding the JSON's figures), as CSV of every table the
 * OpenAPI document names (header, and rows matching the JSON), and printed to PDF once (it opens,
 * its text layer holds the Chinese headings, its first page is not blank). Bad format or table: a
 * 400 naming the field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { ChangeReviewFigures } from '../../../db/change-review';
import { upsertCaseProjection } from '../../../db/cases';
import { firstPage, inkedShare, pdfText } from '../../support/pdf';
import { startHarness, type Harness } from '../api/harness';

const run = Math.random().toString(36).slice(2, 8);
const id = (name: string) => `CHG-CRR-${run}-${name}`;
// One day of 2029 in Shanghai that no other test closes changes in.
const from = '2029-07-13T00:00:00+08:00';
const to = '2029-07-14T00:00:00+08:00';
const report = `/api/v1/reports/change-review?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
const work = mkdtempSync(path.join(tmpdir(), 'change-review-report-'));

let h: Harness;
let auditor: string;

async function change(name: string, closedAt: string | null, fields: Record<string, unknown>) {
  await upsertCaseProjection(h.db, {
    caseId: id(name),
    version: 1,
    process: 'change',
    title: `change ${name}`,
    state: closedAt ? 'closed' : 'open',
    stage: closedAt ? 'closed' : 'implementation',
    priority: 'normal',
    system: null,
    requester: `someone-${run}`,
    assignees: [],
    dueAt: null,
    overdue: false,
    createdAt: '2029-07-01T02:00:00Z',
    updatedAt: closedAt ?? '2029-07-01T02:00:00Z',
    closedAt,
    fields,
  });
}

beforeAll(async () => {
  h = await startHarness();
  auditor = await h.user('crr-auditor', ['auditor']);
  const common = { changeType: 'normal', source: 'business_need', urgency: 'normal' };
  await change('A', '2029-07-13T02:00:00Z', { ...common, outcome: 'succeeded', goalMet: true });
  await change('B', '2029-07-13T05:00:00Z', {
    ...common,
    source: 'incident',
    urgency: 'emergency',
    outcome: 'rolled_back',
    rollbackCause: '数据库锁等待超时 lock wait timeout',
    goalMet: false,
    negativeEffects: '缴费中断十分钟 ten minutes without payments',
  });
  await change('C', '2029-07-13T09:00:00Z', {
    ...common,
    changeType: 'emergency',
    source: 'incident',
    urgency: 'emergency',
    outcome: 'succeeded',
    goalMet: true,
  });
  await change('D', '2029-07-13T15:59:00Z', { ...common, changeType: 'standard', outcome: 'failed' });
  // Closed the next day in Shanghai, and not closed at all: neither counts.
  await change('E', '2029-07-13T16:00:00Z', { ...common, outcome: 'succeeded' });
  await change('F', null, { ...common });
}, 120_000);

afterAll(async () => {
  await h.db('cases').where('case_id', 'like', id('%')).delete();
  await h.close();
  rmSync(work, { recursive: true, force: true });
});

const get = async (url: string, accept?: string) => {
  const req = request(h.app)
    .get(url)
    .set('Authorization', await h.bearer(auditor));
  return accept ? req.set('Accept', accept) : req;
};

/** CSV lines as cells (this file's figures hold no comma or quote). */
const csvRows = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.split(','));

/** The body rows of one table of the page, as the cells' text. */
function htmlRows(html: string, table: string): string[][] {
  const body = new RegExp(`<table data-table="${table}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(
    html,
  )![1];
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => cell[1]),
  );
}

let json: ChangeReviewFigures;

test('the JSON figures match the hand count', async () => {
  const res = await get(report);
  expect(res.status).toBe(200);
  json = res.body;
  expect(json).toMatchObject({
    from: '2029-07-12T16:00:00.000Z',
    to: '2029-07-13T16:00:00.000Z',
    total: 4,
    byType: { normal: 2, emergency: 1, standard: 1 },
    bySource: { business_need: 2, incident: 2 },
    byUrgency: { normal: 2, emergency: 2 },
    byOutcome: { succeeded: 2, rolled_back: 1, failed: 1 },
    byTypeAndOutcome: {
      normal: { succeeded: 1, rolled_back: 1 },
      emergency: { succeeded: 1 },
      standard: { failed: 1 },
    },
    bySourceAndOutcome: {
      business_need: { succeeded: 1, failed: 1 },
      incident: { rolled_back: 1, succeeded: 1 },
    },
    rollbacks: { count: 1, causes: [{ caseId: id('B'), cause: '数据库锁等待超时 lock wait timeout' }] },
    goals: { met: 2, notMet: 1, unknown: 1 },
    negativeEffects: [{ caseId: id('B'), effects: '缴费中断十分钟 ten minutes without payments' }],
  });
});

test('every table the OpenAPI document names is a CSV with a header and the rows of the JSON', async () => {
  const doc = (await request(h.app).get('/openapi.json')).body;
  const op = doc.paths['/api/v1/reports/change-review'].get;
  const param = (name: string) => op.parameters.find((p: { name: string }) => p.name === name);
  expect(param('format').schema.enum).toEqual(['json', 'html', 'pdf', 'csv']);
  const tables: string[] = param('table').schema.enum;
  expect(Object.keys(op.responses['200'].content)).toEqual(
    expect.arrayContaining(['application/json', 'text/html', 'application/pdf', 'text/csv']),
  );

  const csv: Record<string, string[][]> = {};
  for (const table of tables) {
    const res = await get(`${report}&format=csv&table=${table}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain(`change-review-2029-07-12-2029-07-13-${table}.csv`);
    csv[table] = csvRows(res.text);
    expect(csv[table][0].length).toBeGreaterThan(1);
  }
  expect(tables).toEqual(['summary', 'byType', 'bySource', 'byUrgency', 'rollbacks', 'negativeEffects']);

  expect(csv.summary.slice(1)).toEqual([
    ['变更总数 changes closed', String(json.total)],
    ['回退 rolled back', String(json.rollbacks.count)],
    ['达到预期目标 goal met', String(json.goals.met)],
    ['未达到预期目标 goal not met', String(json.goals.notMet)],
    ['目标未评价 goal not assessed', String(json.goals.unknown)],
    ['有负面影响 with negative effects', String(json.negativeEffects.length)],
  ]);
  // Success, failure and rollback first (001 §26 (1)), one column each.
  const outcomes = ['succeeded', 'failed', 'rolled_back'];
  expect(csv.byType[0]).toEqual([
    '类型 type',
    '合计 total',
    '成功 succeeded',
    '失败 failed',
    '回退 rolled back',
  ]);
  const byOutcome = (counts: Record<string, Record<string, number>>, totals: Record<string, number>) =>
    Object.keys(counts)
      .sort()
      .map((v) => [v, String(totals[v]), ...outcomes.map((o) => String(counts[v][o] ?? 0))]);
  expect(csv.byType.slice(1)).toEqual(byOutcome(json.byTypeAndOutcome, json.byType));
  expect(csv.bySource[0][0]).toBe('来源 source');
  expect(csv.bySource.slice(1)).toEqual(byOutcome(json.bySourceAndOutcome, json.bySource));
  expect(csv.byUrgency.slice(1)).toEqual(
    Object.entries(json.byUrgency as Record<string, number>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([u, n]) => [u, String(n)]),
  );
  expect(csv.rollbacks).toEqual([
    ['工单 case', '原因 cause'],
    ...json.rollbacks.causes.map((c: { caseId: string; cause: string }) => [c.caseId, c.cause]),
  ]);
  expect(csv.negativeEffects.slice(1)).toEqual(
    json.negativeEffects.map((e: { caseId: string; effects: string }) => [e.caseId, e.effects]),
  );

  // The page shows the same rows, its headings in Chinese and English, and three charts.
  const page = await get(report, 'text/html');
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  for (const heading of [
    '变更定期集中评估 Periodic change review',
    '按变更类型 Changes by type and outcome',
    '按变更来源 Changes by source and outcome',
    '回退及原因 Rollbacks and their causes',
    '负面影响 Negative effects',
  ])
    expect(page.text).toContain(heading);
  expect(page.text).toContain(`id="total">变更总数 Changes closed<b>${json.total}</b>`);
  expect((page.text.match(/<svg /g) ?? []).length).toBe(3);
  for (const table of tables) expect(htmlRows(page.text, table)).toEqual(csv[table].slice(1));
  // Its download links lead to the other formats of the same period.
  const href = (attributes: string) =>
    new RegExp(`<a ${attributes} href="([^"]+)"`)
      .exec(page.text)![1]
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
  expect(href('id="pdf-link"')).toContain('format=pdf');
  const linked = await get(href('class="csv-link"'));
  expect(csvRows(linked.text)).toEqual(csv.summary);
});

test('the PDF opens, renders the Chinese headings and the charts, and its first page is not blank', async () => {
  const res = await request(h.app)
    .get(report)
    .set('Authorization', await h.bearer(auditor))
    .set('Accept', 'application/pdf')
    .responseType('blob');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  const pdf = path.join(work, 'review.pdf');
  writeFileSync(pdf, res.body as Buffer);

  const text = pdfText(pdf);
  for (const heading of ['变更定期集中评估', '回退及原因', '按变更类型及结果', '预期目标', id('B')])
    expect(text).toContain(heading);
  // The first page in grey: some of it is inked.
  expect(inkedShare(firstPage(pdf, 'pgm', 40))).toBeGreaterThan(0.01);
}, 120_000);

test('a bad format or table is a 400 naming the field', async () => {
  for (const [query, field] of [
    ['format=docx', '/query/format'],
    ['format=csv&table=everything', '/query/table'],
    ['format=csv', '/query/table'],
  ]) {
    const res = await get(`${report}&${query}`);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  }
});
