/**
 * One-click approval by e-mail, end to end and for real: a worker on the dev server runs an
 * access request, the dispatcher mails the department head through a real SMTP server, and a
 * real headless Chromium opens the Approve link, sees the confirmation page and confirms.
 * The links are served by the product's API app (`api/app.ts`), as in production.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import express from 'express';
import type { Knex } from 'knex';
import { chromium, type Browser } from 'playwright-core';
import { createApp } from '../../../api/app';
import { createApprovalLinkRouter } from '../../../api/links/router';
import { createReadiness } from '../../../api/readiness';
import { verifyApprovalLink } from '../../../api/links/token';
import { getCase } from '../../../db/cases';
import { upsertDepartment, upsertUser } from '../../../db/directory';
import { loadConfig, type Config } from '../../../runtime/config';
import { startDevMailSink, type DevMailSink, type ReceivedMail } from '../../../runtime/dev-mail-sink';
import { createLogger } from '../../../runtime/logger';
import { MailDispatcher } from '../../../runtime/mail-dispatcher';
import { caseViewQuery } from '../../../workflows/contracts/messages';
import {
  caseEvents,
  caseInput,
  eventsOfType,
  givenPolicy,
  startAccessRequest,
  uniqueProcess,
} from '../../support/cases';
import { eventually, testDb } from '../../support/db';
import { createTestWorker, devServerConnection } from '../../support/temporal';

const CHROMIUM = '/usr/bin/chromium';
const log = createLogger('approval-link-e2e', 'silent');
const run = randomUUID().slice(0, 8);
const requester = `u-req-${run}`;
const head = `u-head-${run}`;
const opsHead = `u-ops-${run}`;

let db: Knex;
let connection: NativeConnection;
let apiConnection: Connection;
let client: Client;
let worker: Worker;
let working: Promise<void>;
let sink: DevMailSink;
let server: Server;
let dispatcher: MailDispatcher;
let browser: Browser;
let config: Config;
let caseId: string;

beforeAll(async () => {
  db = testDb();
  connection = await devServerConnection();
  client = new Client({ connection });
  const taskQueue = uniqueProcess('link-queue');
  worker = await createTestWorker({ connection, taskQueue, db });
  working = worker.run();
  sink = await startDevMailSink({ dir: null });

  // The API's public URL (in the links) is known once it listens; the product app is mounted then.
  const front = express();
  server = await new Promise<Server>((resolve) => {
    const s = front.listen(0, '127.0.0.1', () => resolve(s));
  });
  const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config = loadConfig({
    NODE_ENV: 'test',
    SMTP_URL: sink.smtpUrl,
    PUBLIC_URL: publicUrl,
    LOG_LEVEL: 'silent',
  });
  apiConnection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS as string });
  front.use(
    createApp({
      readiness: createReadiness({ connection: apiConnection, namespace: 'default', taskQueue, db }),
      client: new Client({ connection: apiConnection }),
      db,
      config,
      log,
      environment: 'test',
    }),
  );

  // The approval mail goes to the head of the requester's department (db/case-access.ts).
  await upsertDepartment(db, { id: `link-dept-${run}`, name: '社保业务处' });
  await upsertUser(db, {
    id: requester,
    departmentId: `link-dept-${run}`,
    displayName: 'Li Na',
    email: `${requester}@example.gov.cn`,
    locale: 'zh-CN',
    roles: ['requester'],
  });
  await upsertUser(db, {
    id: head,
    departmentId: `link-dept-${run}`,
    displayName: '王部长',
    email: `${head}@example.gov.cn`,
    locale: 'zh-CN',
    roles: ['department_head'],
  });
  await upsertUser(db, {
    id: opsHead,
    displayName: 'Sam Ops',
    email: `${opsHead}@example.gov.cn`,
    locale: 'en',
    roles: ['ops_head'],
  });
  const processName = uniqueProcess('access');
  await givenPolicy(db, processName, { duration: 'PT4H' });
  const input = caseInput(processName, { requester });
  caseId = input.caseId;
  await startAccessRequest(client, taskQueue, input);

  dispatcher = new MailDispatcher({ db, config, log, caseIdPrefix: caseId, pollIntervalMs: 100 });
  dispatcher.start();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await dispatcher?.stop();
  await client?.workflow
    .getHandle(caseId)
    .terminate('test over')
    .catch(() => undefined);
  worker?.shutdown();
  await working;
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await sink?.stop();
  await apiConnection?.close();
  await connection?.close();
  await db?.destroy();
});

/** The approval request for this case to `who`, as received over SMTP. */
async function approvalMail(who = head): Promise<ReceivedMail> {
  return eventually(
    async () =>
      sink.messages.find((m) => m.envelopeTo.includes(`${who}@example.gov.cn`) && m.subject.includes(caseId)),
    `the approval request mail for ${who}`,
  );
}

function linksIn(mail: ReceivedMail): { approve: string; reject: string } {
  const urls = [...mail.text.matchAll(/http:\/\/127\.0\.0\.1:\d+\/links\/approve\?t=\S+/g)].map((m) => m[0]);
  const decisionOf = (url: string) =>
    verifyApprovalLink(config.mail.linkSecrets, new URL(url).searchParams.get('t')).decision;
  return {
    approve: urls.find((u) => decisionOf(u) === 'approve')!,
    reject: urls.find((u) => decisionOf(u) === 'reject')!,
  };
}

/** The link with one character of its signature changed. */
function tampered(url: string): string {
  const u = new URL(url);
  const t = u.searchParams.get('t')!;
  const i = t.length - 5;
  u.searchParams.set('t', t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1));
  return u.toString();
}

test('the department head approves an access request from the link in the e-mail, once', async () => {
  const mail = await approvalMail();
  expect(mail.subject).toBe(`待您审批：${caseId} Read access to the production database`);
  const links = linksIn(mail);
  expect(links.approve).toBeDefined();
  const page = await browser.newPage();

  // Opening the link only shows the confirmation page: the case does not move.
  const shown = await page.goto(links.approve);
  expect(shown?.status()).toBe(200);
  expect(await page.textContent('#heading')).toBe('确认同意此申请？');
  expect(await page.textContent('#case-id')).toBe(caseId);
  expect(await page.textContent('#case-summary')).toContain('Department head approves the access request');
  expect(await page.textContent('#case-summary')).toContain(`Li Na (${requester})`);
  const handle = client.workflow.getHandle(caseId);
  expect((await handle.query(caseViewQuery)).stage).toBe('departmentHeadApproval');
  expect((await caseEvents(db, caseId)).filter((e) => e.type === 'step.decided')).toEqual([]);

  // Confirming decides, by e-mail, as the head.
  await page.fill('#comment', '同意开通只读权限');
  const [answer] = await Promise.all([page.waitForNavigation(), page.click('#confirm')]);
  expect(answer?.status()).toBe(200);
  expect(await page.textContent('#result')).toBe('您已同意此环节。');
  expect(await page.textContent('#step')).toBe('departmentHeadApproval');

  const [decided] = await eventsOfType(db, caseId, 'step.decided');
  expect(decided).toMatchObject({ actor: head, channel: 'email' });
  expect(decided.data).toMatchObject({
    step: 'departmentHeadApproval',
    decision: 'approve',
    comment: '同意开通只读权限',
  });
  await eventually(
    async () =>
      (await handle.query(caseViewQuery)).pendingSteps.map((s) => s.step).join() === 'opsHeadApproval',
    'the case to wait for the O&M head',
  );
  await eventually(
    async () => (await getCase(db, caseId))?.stage === 'opsHeadApproval',
    'the read model to move on',
  );

  // The same link again: a clear page, nothing changes.
  const again = await page.goto(links.approve);
  expect(again?.status()).toBe(409);
  expect(await page.getAttribute('#problem', 'data-code')).toBe('used');
  expect(await page.textContent('#heading')).toBe('链接已使用');

  // The other link of the same mail: the step is no longer waiting.
  const superseded = await page.goto(links.reject);
  expect(superseded?.status()).toBe(409);
  expect(await page.getAttribute('#problem', 'data-code')).toBe('superseded');

  // One character changed: refused.
  const forged = await page.goto(tampered(links.approve));
  expect(forged?.status()).toBe(400);
  expect(await page.getAttribute('#problem', 'data-code')).toBe('invalid');

  const decisions = (await caseEvents(db, caseId)).filter((e) => e.type === 'step.decided');
  expect(decisions).toHaveLength(1);
  expect((await handle.query(caseViewQuery)).stage).toBe('opsHeadApproval');
  await page.close();
});

test('a replayed confirmation (the form posted again after success) changes nothing', async () => {
  // The head's link was used in the test above; posting its form again is refused as used.
  const mail = await approvalMail();
  const token = new URL(linksIn(mail).approve).searchParams.get('t')!;
  const response = await fetch(new URL('/links/approve', config.api.publicUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ t: token, form: 'x', comment: '' }).toString(),
  });
  expect(response.status).toBe(409);
  expect(await response.text()).toContain('data-code="used"');
  expect((await caseEvents(db, caseId)).filter((e) => e.type === 'step.decided')).toHaveLength(1);
});

test('the link endpoints are rate-limited per client, with a clear page', async () => {
  const app = express().use(createApprovalLinkRouter({ client, db, config, log, rateLimitPerMinute: 3 }));
  const limited = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const url = `http://127.0.0.1:${(limited.address() as AddressInfo).port}/links/approve?t=junk`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await fetch(url, { headers: { 'Accept-Language': 'en' } })).status);
    expect(statuses).toEqual([400, 400, 400, 429]);
    const page = await (await fetch(url, { headers: { 'Accept-Language': 'en' } })).text();
    expect(page).toContain('data-code="rate-limited"');
    expect(page).toContain('Too many requests');
  } finally {
    limited.closeAllConnections();
    await new Promise((r) => limited.close(r));
  }
});

test('a rejection by link needs a reason; with one, the case closes as rejected', async () => {
  const mail = await approvalMail(opsHead);
  expect(mail.subject).toBe(`Approval needed: ${caseId} Read access to the production database`);
  const link = linksIn(mail).reject;
  const page = await (await fetch(link)).text();
  expect(page).toContain('Reject this request?');
  const form = /name="form" value="([^"]+)"/.exec(page)![1];
  const token = new URL(link).searchParams.get('t')!;
  const post = (comment: string) =>
    fetch(new URL('/links/approve', config.api.publicUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ t: token, form, comment }).toString(),
    });

  const withoutReason = await post('  ');
  expect(withoutReason.status).toBe(422);
  expect(await withoutReason.text()).toContain('A rejection needs a reason');

  const withReason = await post('no business justification');
  expect(withReason.status).toBe(200);
  expect(await withReason.text()).toContain('You rejected this step.');
  const [, rejected] = await eventsOfType(db, caseId, 'step.decided', 2);
  expect(rejected).toMatchObject({ actor: opsHead, channel: 'email' });
  expect(rejected.data).toMatchObject({
    step: 'opsHeadApproval',
    decision: 'reject',
    comment: 'no business justification',
  });
  await eventually(async () => (await getCase(db, caseId))?.state === 'closed', 'the case to close');
});
