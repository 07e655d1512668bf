/**
 * The monthly service report end to end, as its users meet it: an O&M engineer drafts the
 * report through the HTTP API from what /openapi.json publishes; nothing is mailed while it
 * waits for the O&M head; once approved it is mailed (over real SMTP) to its distribution list —
 * to the members who may read it — and a real headless Chromium opens the report from the link in
 * the mail, with its charts. Its PDF opens, is not blank when converted to PNG, and its text layer
 * holds the Chinese headings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { upsertSystem } from '../../../db/api-master-data';
import { upsertCaseProjection } from '../../../db/cases';
import { startDevMailSink, type DevMailSink, type ReceivedMail } from '../../../runtime/dev-mail-sink';
import { createLogger } from '../../../runtime/logger';
import { MailDispatcher } from '../../../runtime/mail-dispatcher';
import { eventually } from '../../support/db';
import { firstPage, pdfText } from '../../support/pdf';
import { startHarness, type Harness } from '../api/harness';

const CHROMIUM = '/usr/bin/chromium';
const run = Math.random().toString(36).slice(2, 8);
const list = `sr-list-${run}`;
const system = `sr-e2e-${run}`;
const seeded = [`CHG-SR-${run}`, `EMG-SR-${run}`];

let h: Harness;
let server: Server;
let sink: DevMailSink;
let dispatcher: MailDispatcher;
let browser: Browser;
let engineer: string;
let opsHead: string;
let pmo: string;
let outsider: string;
let admin: string;
let caseId: string;
const work = mkdtempSync(path.join(tmpdir(), 'sr-e2e-'));

beforeAll(async () => {
  sink = await startDevMailSink({ dir: null });
  const front = express();
  server = await new Promise<Server>((resolve) => {
    const s = front.listen(0, '127.0.0.1', () => resolve(s));
  });
  const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  h = await startHarness({ PUBLIC_URL: publicUrl, SMTP_URL: sink.smtpUrl });
  front.use(h.app);

  engineer = await h.user('sr-engineer', ['ops_engineer']);
  opsHead = await h.user('sr-head', ['ops_head']);
  pmo = await h.user('sr-pmo', ['pmo']);
  outsider = await h.user('sr-requester', ['requester']);
  await h.db('users').whereIn('id', [pmo, outsider]).update({ locale: 'zh-CN' });
  admin = await h.user('sr-admin', ['admin']);
  // The list is master data an admin keeps: an unknown member is refused by name.
  const refused = await request(h.app)
    .put(`/api/v1/admin/service-report-lists/${list}`)
    .set('Authorization', await h.bearer(admin))
    .send({ members: [pmo, `nobody-${run}`] });
  expect(refused.status).toBe(400);
  expect(JSON.stringify(refused.body)).toContain('/members/1');
  const stored = await request(h.app)
    .put(`/api/v1/admin/service-report-lists/${list}`)
    .set('Authorization', await h.bearer(admin))
    .send({ members: [pmo, outsider] });
  expect(stored.body.members).toEqual(
    expect.arrayContaining([
      { userId: pmo, active: true },
      { userId: outsider, active: true },
    ]),
  );

  // A month of this system: one change, one emergency recovered in 95 minutes.
  await upsertSystem(h.db, {
    id: system,
    name: '社保核心 SI core',
    ownerDepartmentId: null,
    vendorId: null,
    active: true,
  });
  const base = {
    version: 1,
    priority: 'normal',
    system,
    requester: engineer,
    assignees: [],
    dueAt: null,
    overdue: false,
  };
  await upsertCaseProjection(h.db, {
    ...base,
    caseId: seeded[0],
    process: 'change',
    title: '调整转账限额',
    state: 'closed',
    stage: 'closed',
    createdAt: '2026-03-02T01:00:00Z',
    updatedAt: '2026-03-09T01:00:00Z',
    closedAt: '2026-03-09T01:00:00Z',
    fields: { changeType: 'normal', outcome: 'succeeded' },
  });
  await upsertCaseProjection(h.db, {
    ...base,
    caseId: seeded[1],
    process: 'emergency',
    title: '社保核心宕机',
    priority: 'II',
    state: 'open',
    stage: 'handling',
    createdAt: '2026-03-03T02:00:00Z',
    updatedAt: '2026-03-03T03:35:00Z',
    closedAt: null,
    fields: { milestones: { recovered: { at: '2026-03-03T03:35:00Z', outcome: 'met' } } },
  });

  dispatcher = new MailDispatcher({
    db: h.db,
    config: h.config,
    log: createLogger('sr-e2e', 'silent'),
    caseIdPrefix: 'RPT-',
    pollIntervalMs: 100,
  });
  dispatcher.start();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await dispatcher?.stop();
  if (caseId) {
    await h.client.workflow
      .getHandle(caseId)
      .terminate('test over')
      .catch(() => undefined);
    await h.db('service_report_snapshots').where({ case_id: caseId }).delete();
  }
  await h.db('cases').whereIn('case_id', seeded).delete();
  await h.db('service_report_distribution').where({ list_id: list }).delete();
  await h.db('systems').where({ id: system }).delete();
  await h.db('users').whereIn('id', [engineer, opsHead, pmo, outsider]).update({ active: false });
  if (admin) await h.db('users').where({ id: admin }).update({ active: false });
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await h?.close();
  await sink?.stop();
  rmSync(work, { recursive: true, force: true });
});

const mailsOfCase = () => sink.messages.filter((m) => caseId && m.subject.includes(caseId));
const distributed = async () =>
  h.db('notification_outbox').where({ case_id: caseId, template: 'service-report-distributed' });

test('drafted through the API, not mailed before the O&M head approves, then mailed to who may read it', async () => {
  // A new user reads the request form from the published contract.
  const doc = (await request(h.app).get('/openapi.json')).body;
  const form = doc.components.schemas['service-report.request'];
  expect(form.required).toEqual(['month']);
  expect(Object.keys(form.properties)).toEqual(
    expect.arrayContaining(['month', 'system', 'vendor', 'distributionList']),
  );

  const started = await request(h.app)
    .post('/api/v1/cases/service-report')
    .set('Authorization', await h.bearer(engineer))
    .send({ month: '2026-03', system, distributionList: list });
  expect(started.status).toBe(201);
  caseId = started.body.caseId;
  expect(caseId).toMatch(/^RPT-\d{4}-\d{6}$/);

  const view = await eventually(
    async () => {
      const res = await request(h.app)
        .get(`/api/v1/cases/${caseId}`)
        .set('Authorization', await h.bearer(opsHead));
      return res.body.pendingSteps?.[0]?.step === 'reportApproval' ? res.body : null;
    },
    'the report to wait for the O&M head',
    60_000,
  );
  expect(view.pendingSteps[0]).toMatchObject({ action: 'decide', assignees: ['role:ops_head'] });
  expect(view.fields.draft).toMatchObject({ emergencies: 1, coveredCases: 2 });

  // The drafted report is archived already, and the approver reads it…
  const archived = await request(h.app)
    .get(`/api/v1/reports/service/${caseId}`)
    .set('Authorization', await h.bearer(opsHead));
  expect(archived.status).toBe(200);
  expect(archived.body.figures.emergencies).toEqual([
    expect.objectContaining({ caseId: seeded[1], recoveryMinutes: 95, recoveryClock: 'met' }),
  ]);
  // …but nothing goes out before the approval, and nobody else may approve.
  const byEngineer = await request(h.app)
    .post(`/api/v1/cases/${caseId}/decisions`)
    .set('Authorization', await h.bearer(engineer))
    .send({ step: 'reportApproval', decision: 'approve' });
  expect(byEngineer.status).toBe(403);
  await new Promise((r) => setTimeout(r, 1500));
  expect(await distributed()).toEqual([]);
  expect(mailsOfCase().filter((m) => m.envelopeTo.some((to) => to.startsWith(pmo)))).toEqual([]);

  const approved = await request(h.app)
    .post(`/api/v1/cases/${caseId}/decisions`)
    .set('Authorization', await h.bearer(opsHead))
    .send({ step: 'reportApproval', decision: 'approve', comment: '同意分发' });
  expect(approved.status).toBe(200);
  const closed = await eventually(
    async () => {
      const res = await request(h.app)
        .get(`/api/v1/cases/${caseId}`)
        .set('Authorization', await h.bearer(opsHead));
      return res.body.status === 'closed' ? res.body : null;
    },
    'the report to be distributed',
    60_000,
  );
  expect(closed.outcome).toBe('distributed');
  expect(closed.fields.distributedTo).toEqual([pmo]);
  // The requester on the list may not read every case the report counts: not mailed, and said so.
  expect(closed.fields.notDistributedTo).toEqual([
    { userId: outsider, reason: 'may not read every case the report counts' },
  ]);
  const rows = await eventually(async () => {
    const found = await distributed();
    return found.length > 0 ? found : null;
  }, 'the distribution mail to be queued');
  expect(rows.map((r: { recipient_user_id: string }) => r.recipient_user_id)).toEqual([pmo]);
}, 180_000);

async function reportMail(): Promise<ReceivedMail> {
  return eventually(
    async () => mailsOfCase().find((m) => m.envelopeTo.includes(`${pmo}@example.invalid`)),
    'the distribution mail',
    60_000,
  );
}

test('the reader opens the HTML report from the link in the mail, charts and all', async () => {
  const mail = await reportMail();
  expect(mail.subject).toBe(`月度服务报告 2026-03 · ${system}（${caseId}）`);
  const link = /http:\/\/127\.0\.0\.1:\d+\/links\/service-report\?t=\S+/.exec(mail.text)?.[0];
  expect(link).toBeDefined();

  const page = await browser.newPage();
  try {
    const shown = await page.goto(link!);
    expect(shown?.status()).toBe(200);
    expect(await page.textContent('#heading')).toBe('月度服务报告 Monthly service report');
    expect(await page.textContent('#period')).toContain(caseId);
    expect(await page.locator('.chart svg').count()).toBeGreaterThanOrEqual(4);
    expect(await page.textContent('#table-emergencies')).toContain('应急事件');
    expect(await page.locator('table[data-table="emergencies"] tbody tr').count()).toBe(1);
    // No defect process data on this system: "no data", not 0 %.
    expect(await page.textContent('p.no-data[data-table="guarantees"]')).toContain('无数据 no data');
    // The CSV links of the page work from the mail's link too.
    const csvHref = await page.getAttribute('a.csv-link >> nth=0', 'href');
    const csv = await fetch(new URL(csvHref!, link));
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  } finally {
    await page.close();
  }

  // A tampered link shows a clear page and no report.
  const bad = await fetch(link!.slice(0, -3) + (link!.endsWith('AAA') ? 'BBB' : 'AAA'));
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain('data-code="invalid"');
}, 120_000);

test('the PDF opens, has its charts and renders the Chinese headings', async () => {
  const mail = await reportMail();
  const link = /http:\/\/127\.0\.0\.1:\d+\/links\/service-report\?t=\S+/.exec(mail.text)![0];
  const res = await fetch(`${link}&format=pdf`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const pdf = path.join(work, 'report.pdf');
  writeFileSync(pdf, Buffer.from(await res.arrayBuffer()));

  // The text layer: Chinese headings, and the charts' own titles (ECharts SVG text).
  const text = pdfText(pdf);
  for (const heading of ['月度服务报告', '服务级别达成率', '应急事件及恢复时间', '工单趋势', '按流程']) {
    expect(text).toContain(heading);
  }
  // Every font the Chinese text is set in travels with the document (Chromium embeds the glyphs it used).
  const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).trim().split('\n').slice(2);
  expect(fonts.length).toBeGreaterThan(0);
  for (const font of fonts) expect(font).toMatch(/\syes\s+(yes|no)\s+yes\s/);

  // The first page as PNG, looked at in the browser: not blank, and with chart colours in it.
  const png = readFileSync(firstPage(pdf, 'png'));
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  const page = await browser.newPage();
  try {
    const counts = (await page.evaluate(`(async () => {
      const img = new Image();
      img.src = 'data:image/png;base64,${png.toString('base64')}';
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      let inked = 0;
      let blue = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] + data[i + 1] + data[i + 2] < 600) inked += 1;
        if (data[i + 2] > 150 && data[i] < 100) blue += 1;
      }
      return { inked, blue, pixels: data.length / 4 };
    })()`)) as { inked: number; blue: number; pixels: number };
    expect(counts.inked / counts.pixels).toBeGreaterThan(0.01);
    // The trend and bar charts draw in the report's blue.
    expect(counts.blue).toBeGreaterThan(50);
  } finally {
    await page.close();
  }
}, 120_000);
