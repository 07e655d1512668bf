/**
 * 001 §19, end to end and for real: a change whose schedule declares a business interruption
 * sends the written notice to the affected department — its head, as the directory names it —
 * and the mail reaches that person's mailbox through the dispatcher and a real SMTP server.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { upsertStandardChange } from '../../../db/change-catalogue';
import { setDepartmentHead, upsertDepartment, upsertUser, type Role } from '../../../db/directory';
import { loadConfig } from '../../../runtime/config';
import { startDevMailSink, type DevMailSink } from '../../../runtime/dev-mail-sink';
import { createLogger } from '../../../runtime/logger';
import { MailDispatcher } from '../../../runtime/mail-dispatcher';
import { ChangeDriver, changeRequest, forms } from '../../support/change-cases';
import { uniqueProcess } from '../../support/cases';
import { eventually, testDb } from '../../support/db';
import { createTestWorker, devServerConnection } from '../../support/temporal';

const run = randomUUID().slice(0, 8);
const caseId = `CHG-N${run.toUpperCase()}-1`;
const requester = `u-chg-req-${run}`;
const engineer = `u-chg-ops-${run}`;
const csHead = `u-cs-head-${run}`;
const department = `cs-${run}`;

let db: Knex;
let connection: NativeConnection;
let worker: Worker;
let working: Promise<void>;
let sink: DevMailSink;
let dispatcher: MailDispatcher;
let client: Client;
let taskQueue: string;

async function person(
  id: string,
  roles: Role[],
  departmentId: string | null = null,
  locale: 'en' | 'zh-CN' = 'en',
) {
  await upsertUser(db, { id, displayName: id, email: `${id}@bank.example`, locale, departmentId, roles });
}

beforeAll(async () => {
  db = testDb();
  connection = await devServerConnection();
  client = new Client({ connection });
  taskQueue = uniqueProcess('notice-queue');
  worker = await createTestWorker({ connection, taskQueue, db });
  working = worker.run();
  sink = await startDevMailSink({ dir: null });
  const log = createLogger('interruption-notice-e2e', 'silent');
  const config = loadConfig({ NODE_ENV: 'test', SMTP_URL: sink.smtpUrl, LOG_LEVEL: 'silent' });
  dispatcher = new MailDispatcher({ db, config, log, caseIdPrefix: caseId, pollIntervalMs: 100 });
  dispatcher.start();

  await upsertDepartment(db, { id: department, name: '客户服务中心 Customer service center' });
  await person(requester, ['requester']);
  await person(engineer, ['ops_engineer']);
  await person(csHead, ['department_head'], department, 'zh-CN');
  await setDepartmentHead(db, department, { head: csHead });
  await upsertStandardChange(db, {
    id: `std-${run}`,
    name: 'Rotate the payment gateway certificate',
    changeType: 'configuration_change',
    systems: [],
    implementationSteps: ['install certificate', 'restart gateway'],
    rollbackSteps: ['reinstall previous certificate'],
    approvedBy: 'it-head',
    approvedAt: '2031-01-15T10:00:00+08:00',
    active: true,
  });
});

afterAll(async () => {
  await dispatcher?.stop();
  await client?.workflow
    .getHandle(caseId)
    .terminate('test over')
    .catch(() => undefined);
  worker?.shutdown();
  await working;
  await sink?.stop();
  await connection?.close();
  await db?.destroy();
});

test('the interruption notice of a change reaches the affected department head’s mailbox', async () => {
  const request = changeRequest({
    title: 'Rotate the payment gateway certificate',
    changeType: 'configuration_change',
    standardChangeId: `std-${run}`,
    affectedSystems: [`gateway-${run}`],
    requester,
  });
  const handle = await client.workflow.start('changeProcess', {
    taskQueue,
    workflowId: caseId,
    args: [
      {
        caseId,
        process: 'change',
        title: request.title,
        requester,
        priority: request.urgency,
        system: request.affectedSystems[0],
        fields: { ...request },
      },
    ],
  });
  const c = new ChangeDriver(handle, db);
  await c.complete(
    'scheduling',
    { id: engineer, roles: ['ops_engineer'] },
    forms.schedule(
      { windowStart: '2031-03-08T22:00:00+08:00', windowEnd: '2031-03-09T02:00:00+08:00' },
      {
        businessInterruption: true,
        interruptionScope: 'card payments unavailable for up to 20 minutes',
        affectedDepartments: [department],
      },
    ),
  );
  // The departments are told when the window is accepted, before it begins (001 §19).

  const mail = await eventually(
    async () =>
      sink.messages.find(
        (m) => m.envelopeTo.includes(`${csHead}@bank.example`) && m.subject.includes(caseId),
      ),
    'the interruption notice in the department head’s mailbox',
    30_000,
  );
  expect(mail.text).toContain('card payments unavailable for up to 20 minutes');
  expect(mail.text).toContain('2031-03-08 22:00');
});
