/**
 * The knowledge base through the HTTP API, on the real dev server, PostgreSQL and worker: a
 * resolved defect in the read model proposes an entry, the O&M head approves it (the proposer may
 * not), it is published and found first among 200 seeded entries by a Chinese and an English
 * query, edits are kept as versions, and what is not published is not found.
 */
import request from 'supertest';
import { upsertSystem } from '../../../db/api-master-data';
import { upsertCaseProjection } from '../../../db/cases';
import { uniqueProcess } from '../../support/cases';
import { eventually } from '../../support/db';
import { knowledgeCorpus, seedPublishedEntries } from '../../../scripts/bench/knowledge-corpus';
import { startHarness, type Harness } from '../api/harness';

let h: Harness;
const tag = uniqueProcess('kb')
  .replace(/[^A-Za-z0-9]/g, '')
  .slice(-6);
const base = 900000 + Math.floor(Math.random() * 90000);
const caseNo = (n: number) => `DEF-2026-${base + n}`;
const defectId = caseNo(1);
const hiddenDefectId = caseNo(2);
const openDefectId = caseNo(3);
let people: { proposer: string; reviewer: string; clerk: string; vendorEngineer: string; author: string };
let systems: { ours: string; theirs: string };
const registeredDefects: string[] = [];
const seeded: string[] = [];
const reviewCases: string[] = [];

const as = async (user: string) => `Bearer ${await h.token(user)}`;

beforeAll(async () => {
  h = await startHarness();
  const vendor = await h.vendor('kb-vendor');
  const otherVendor = await h.vendor('kb-other-vendor');
  people = {
    proposer: await h.user('kb-proposer', ['ops_engineer']),
    reviewer: await h.user('kb-reviewer', ['ops_head']),
    clerk: await h.user('kb-clerk', ['requester']),
    vendorEngineer: await h.user('kb-vendor-eng', ['vendor_engineer'], { vendorId: vendor }),
    author: await h.user('kb-seed-author', ['ops_engineer']),
  };
  systems = { ours: `kb-si-core-${tag}`, theirs: `kb-pension-${tag}` };
  await upsertSystem(h.db, {
    id: systems.ours,
    name: 'SI core',
    ownerDepartmentId: null,
    vendorId: vendor,
    active: true,
  });
  await upsertSystem(h.db, {
    id: systems.theirs,
    name: 'Pension',
    ownerDepartmentId: null,
    vendorId: otherVendor,
    active: true,
  });
  const at = new Date().toISOString();
  const defect = (
    caseId: string,
    requester: string,
    fields: Record<string, unknown>,
    stage = 'verification',
  ) => ({
    caseId,
    version: 9,
    process: 'defect',
    title: '缴费核定时数据库连接超时 / Database connection timeout during contribution assessment',
    state: 'open',
    stage,
    priority: 'corrective',
    system: systems.ours,
    requester,
    assignees: [],
    dueAt: null,
    overdue: false,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    fields,
  });
  const resolved = {
    description:
      '月末缴费核定时社保核心系统报数据库连接超时，经办人员无法提交核定结果。Clerks see database connection timeout.',
    actual: '页面提示“数据库连接超时”，日志 ORA-12170: TNS connect timeout occurred',
    steps: '1. 登录经办系统 2. 发起月末缴费核定 3. 提交',
    resolution: {
      cause: '连接池最大连接数过小，月末并发核定时连接耗尽；connection pool exhausted at month end',
      solution: '将连接池上限由 50 调整为 200，并设置获取连接超时 30 秒；raise the pool limit to 200',
    },
  };
  await upsertCaseProjection(h.db, defect(defectId, people.clerk, resolved));
  await upsertCaseProjection(h.db, defect(hiddenDefectId, people.author, resolved));
  await upsertCaseProjection(
    h.db,
    defect(openDefectId, people.clerk, { description: 'not analysed yet' }, 'inProgress'),
  );
  seeded.push(...(await seedPublishedEntries(h.db, knowledgeCorpus(200), people.author)));
}, 120_000);

afterAll(async () => {
  for (const id of reviewCases)
    await h.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  const authors = Object.values(people ?? {});
  await h.db('knowledge_entries').whereIn('created_by', authors).delete();
  await h
    .db('cases')
    .whereIn('case_id', [defectId, hiddenDefectId, openDefectId, ...registeredDefects])
    .delete();
  await h
    .db('systems')
    .whereIn('id', Object.values(systems ?? {}))
    .delete();
  await h.close();
});

async function pendingStep(caseId: string, user: string, step: string) {
  return eventually(async () => {
    const view = (
      await request(h.app)
        .get(`/api/v1/cases/${caseId}`)
        .set('Authorization', await as(user))
    ).body;
    return view.pendingSteps?.find((s: { step: string }) => s.step.replace(/#\d+$/, '') === step) ?? null;
  }, `${caseId} waiting at ${step}`);
}

async function decide(
  caseId: string,
  user: string,
  decision: string,
  step = 'knowledgeReview',
  comment?: string,
) {
  return request(h.app)
    .post(`/api/v1/cases/${caseId}/decisions`)
    .set('Authorization', await as(user))
    .send({ step, decision, ...(comment ? { comment } : {}) });
}

async function search(user: string, q: string) {
  const res = await request(h.app)
    .get('/api/v1/knowledge/entries')
    .query({ q, limit: 10 })
    .set('Authorization', await as(user));
  expect(res.status).toBe(200);
  return res.body.items as Array<{ entryId: string; title: string; rank: number }>;
}

async function entry(id: string, user: string) {
  return request(h.app)
    .get(`/api/v1/knowledge/entries/${id}`)
    .set('Authorization', await as(user));
}

let proposedId = '';

test('a resolved defect proposes an entry; the proposer may not approve it; approved, it is published and found first in Chinese and in English among 200 entries', async () => {
  const proposed = await request(h.app)
    .post('/api/v1/knowledge/proposals')
    .set('Authorization', await as(people.proposer))
    .send({ sourceCase: defectId, tags: ['连接池', 'connection pool'] });
  expect(proposed.status).toBe(201);
  const { entryId, reviewCaseId } = proposed.body as { entryId: string; reviewCaseId: string };
  proposedId = entryId;
  reviewCases.push(reviewCaseId);
  expect(reviewCaseId).toMatch(/^KNB-\d{4}-\d{6}$/);
  // Drafted from the defect's read-model fields, linked to it.
  expect(proposed.body.entry).toMatchObject({
    version: 1,
    status: 'in_review',
    origin: 'defect',
    sourceCases: [defectId],
    systems: [systems.ours],
    cause: expect.stringContaining('连接池最大连接数过小'),
    solution: expect.stringContaining('调整为 200'),
    problem: expect.stringContaining('数据库连接超时'),
    symptoms: expect.stringContaining('ORA-12170'),
  });

  // Under review: not found by search, not yet published.
  expect((await search(people.clerk, '数据库 连接 超时')).map((i) => i.entryId)).not.toContain(entryId);
  expect((await entry(entryId, people.proposer)).body).toMatchObject({
    publishedVersion: null,
    inReview: { version: 1 },
  });

  const step = await pendingStep(reviewCaseId, people.reviewer, 'knowledgeReview');
  expect(step).toMatchObject({ action: 'decide', assignees: ['role:ops_head'] });
  // On its SLA clock: close of business (17:30 Beijing) on the fifth working day after today.
  expect(Date.parse(step.dueAt) - Date.now()).toBeGreaterThan(4.5 * 86_400_000);
  expect(new Date(step.dueAt).toISOString().slice(11, 16)).toBe('09:30');
  const own = await decide(reviewCaseId, people.proposer, 'approve');
  expect(own.status).toBe(403);
  expect(own.body.code).toBe('SOD_REQUESTER');

  const approved = await decide(reviewCaseId, people.reviewer, 'approve');
  expect(approved.status).toBe(200);
  expect(approved.body).toMatchObject({ status: 'closed', outcome: 'published' });
  const published = await eventually(async () => {
    const body = (await entry(entryId, people.clerk)).body;
    return body.publishedVersion === 1 ? body : null;
  }, 'the entry published');
  expect(published.current).toMatchObject({ status: 'published', decidedBy: people.reviewer, reviewCaseId });

  const chinese = await search(people.clerk, '数据库 连接 超时');
  expect(chinese[0].entryId).toBe(entryId);
  expect(chinese.length).toBeGreaterThan(1); // other entries share words, and rank below it
  const english = await search(people.clerk, 'database connection timeout');
  expect(english[0].entryId).toBe(entryId);
  expect(english.length).toBeGreaterThan(1);
  // Mailed like any case: the approval request to the O&M head, the outcome to the proposer.
  const mails = await eventually(async () => {
    const rows = (await h
      .db('notification_outbox')
      .where({ case_id: reviewCaseId })
      .select('template', 'recipient_user_id')) as Array<{ template: string; recipient_user_id: string }>;
    return rows.some((r) => r.template === 'case-closed') ? rows : null;
  }, 'the review mails');
  expect(mails).toEqual(
    expect.arrayContaining([
      { template: 'approval-request', recipient_user_id: people.reviewer },
      { template: 'case-closed', recipient_user_id: people.proposer },
    ]),
  );
  // The review is in the audit trail like any case's.
  const events = (
    await request(h.app)
      .get(`/api/v1/cases/${reviewCaseId}/events`)
      .set('Authorization', await as(people.reviewer))
  ).body.items.map((e: { type: string }) => e.type);
  expect(events).toEqual(expect.arrayContaining(['case.opened', 'case.closed']));
}, 90_000);

test('a defect registered with similar text gets the entry suggested first', async () => {
  expect(proposedId).not.toBe('');
  const res = await request(h.app)
    .get('/api/v1/knowledge/suggestions')
    .query({ text: '养老待遇核定提交时报错：数据库连接超时，请稍后再试' })
    .set('Authorization', await as(people.clerk));
  expect(res.status).toBe(200);
  expect(res.body.items[0].entryId).toBe(proposedId);
  expect(res.body.items.length).toBeLessThanOrEqual(5);

  // Registering the defect itself answers with the same suggestion (api/start-advice.ts).
  const registered = await request(h.app)
    .post('/api/v1/cases/defect')
    .set('Authorization', await as(people.clerk))
    .send({
      kind: 'defect',
      defectClass: 'corrective',
      title: '养老待遇核定提交时报错',
      system: systems.ours,
      module: '待遇核定',
      stepsToReproduce: '进入待遇核定，填写后提交',
      expectedResult: '核定结果保存成功',
      actualResult: '页面提示：数据库连接超时，请稍后再试',
      evidenceRefs: ['log://kb-suggestion-test'],
    });
  expect(registered.status).toBe(201);
  reviewCases.push(registered.body.caseId);
  registeredDefects.push(registered.body.caseId);
  expect(registered.body.knowledgeSuggestions[0]).toMatchObject({ entryId: proposedId });
  expect(registered.body.knowledgeSuggestions.length).toBeLessThanOrEqual(5);
});

test('an edit is a new version; the published one stays current until the review approves; sent back, the revision is another version; every version can be read', async () => {
  expect(proposedId).not.toBe('');
  const edited = await request(h.app)
    .post(`/api/v1/knowledge/entries/${proposedId}/versions`)
    .set('Authorization', await as(people.proposer))
    .send({ solution: '连接池上限调整为 200；监控连接数；raise the pool limit and alert on pool usage' });
  expect(edited.status).toBe(201);
  expect(edited.body).toMatchObject({ version: 2, entry: { status: 'in_review' } });
  const review = edited.body.reviewCaseId as string;
  reviewCases.push(review);

  const second = await request(h.app)
    .post(`/api/v1/knowledge/entries/${proposedId}/versions`)
    .set('Authorization', await as(people.proposer))
    .send({ title: 'another edit' });
  expect(second.status).toBe(409);
  expect(second.body.code).toBe('KNOWLEDGE_REVIEW_PENDING');

  expect((await entry(proposedId, people.clerk)).body).toMatchObject({
    publishedVersion: 1,
    current: { version: 1 },
    inReview: { version: 2, reviewCaseId: review },
  });

  await pendingStep(review, people.reviewer, 'knowledgeReview');
  const sentBack = await decide(
    review,
    people.reviewer,
    'request_changes',
    'knowledgeReview',
    '请写明监控阈值',
  );
  expect(sentBack.status).toBe(200);
  await pendingStep(review, people.proposer, 'reviseEntry');
  const revised = await request(h.app)
    .post(`/api/v1/cases/${review}/tasks/reviseEntry/complete`)
    .set('Authorization', await as(people.proposer))
    .send({ form: { solution: '连接池上限调整为 200；连接数超过 80% 告警' } });
  expect(revised.status).toBe(200);
  await pendingStep(review, people.reviewer, 'knowledgeReview');
  expect((await decide(review, people.reviewer, 'approve')).status).toBe(200);

  const versions = await eventually(async () => {
    const res = await request(h.app)
      .get(`/api/v1/knowledge/entries/${proposedId}/versions`)
      .set('Authorization', await as(people.clerk));
    return res.body.items?.length === 3 && res.body.items[2].status === 'published' ? res.body.items : null;
  }, 'three versions, the last published');
  expect(versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
    [1, 'superseded'],
    [2, 'returned'],
    [3, 'published'],
  ]);
  const first = await request(h.app)
    .get(`/api/v1/knowledge/entries/${proposedId}/versions/1`)
    .set('Authorization', await as(people.clerk));
  expect(first.status).toBe(200);
  expect(first.body.solution).toContain('调整为 200，并设置获取连接超时 30 秒');
  expect((await entry(proposedId, people.clerk)).body.current).toMatchObject({
    version: 3,
    solution: '连接池上限调整为 200；连接数超过 80% 告警',
    cause: expect.stringContaining('连接池最大连接数过小'),
  });
}, 120_000);

test('a proposal the reviewer rejects is never published nor found', async () => {
  const proposed = await request(h.app)
    .post('/api/v1/knowledge/proposals')
    .set('Authorization', await as(people.clerk))
    .send({
      title: '打印机卡纸 printer paper jam zqxv',
      problem: '柜台打印机频繁卡纸 zqxv',
      solution: '更换搓纸轮',
    });
  expect(proposed.status).toBe(201);
  reviewCases.push(proposed.body.reviewCaseId);
  expect(proposed.body.entry.origin).toBe('manual');
  await pendingStep(proposed.body.reviewCaseId, people.reviewer, 'knowledgeReview');
  const rejected = await decide(
    proposed.body.reviewCaseId,
    people.reviewer,
    'reject',
    'knowledgeReview',
    '不属于运维知识',
  );
  expect(rejected.status).toBe(200);
  expect(rejected.body.outcome).toBe('rejected');
  const version = await eventually(async () => {
    const res = await request(h.app)
      .get(`/api/v1/knowledge/entries/${proposed.body.entryId}/versions/1`)
      .set('Authorization', await as(people.clerk));
    return res.body.status === 'rejected' ? res.body : null;
  }, 'the version rejected');
  expect(version.decidedBy).toBe(people.reviewer);
  expect(await search(people.reviewer, 'zqxv 卡纸')).toEqual([]);
  // Never published: a reader who neither wrote nor reviews it does not see it at all.
  expect((await entry(proposed.body.entryId, people.vendorEngineer)).status).toBe(404);
}, 90_000);

test('bad input is a 400 naming the field; a source case one may not read or that is not resolved cannot propose', async () => {
  const auth = await as(people.clerk);
  const entriesBefore = await h.db('knowledge_entries').where({ created_by: people.clerk }).count({ n: '*' });
  const post = (body: unknown) =>
    request(h.app)
      .post('/api/v1/knowledge/proposals')
      .set('Authorization', auth)
      .send(body as object);
  const paths = (res: request.Response) => (res.body.errors as Array<{ path: string }>).map((e) => e.path);

  const empty = await post({ title: '', problem: 'x', solution: 'y' });
  expect(empty.status).toBe(400);
  expect(paths(empty)).toContain('/title');
  const missing = await post({ title: 'no solution', problem: 'x' });
  expect(missing.status).toBe(400);
  expect(paths(missing)).toEqual(['/solution']);
  const unknownField = await post({ title: 't', problem: 'p', solution: 's', severity: 'high' });
  expect(paths(unknownField)).toContain('/severity');
  const unknownSystem = await post({
    title: 't',
    problem: 'p',
    solution: 's',
    systems: ['kb-no-such-system'],
  });
  expect(unknownSystem.status).toBe(400);
  expect(paths(unknownSystem)).toEqual(['/systems/0']);
  const badCase = await post({ sourceCase: 'not-a-case' });
  expect(paths(badCase)).toContain('/sourceCase');

  // The clerk may not read a defect someone else raised: the same answer as a case that does not exist.
  const hidden = await post({ sourceCase: hiddenDefectId });
  const absent = await post({ sourceCase: 'DEF-2026-999999' });
  for (const res of [hidden, absent]) {
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('SOURCE_CASE_UNUSABLE');
    expect(paths(res)).toEqual(['/sourceCase']);
  }
  const unresolved = await post({ sourceCase: openDefectId });
  expect(unresolved.status).toBe(400);
  expect(unresolved.body.errors[0]).toMatchObject({
    path: '/sourceCase',
    message: expect.stringContaining('not resolved'),
  });

  const noQuery = await request(h.app).get('/api/v1/knowledge/entries').set('Authorization', auth);
  expect(noQuery.status).toBe(400);
  expect(paths(noQuery)).toContain('/query/q');
  const badLimit = await request(h.app)
    .get('/api/v1/knowledge/suggestions')
    .query({ text: 'x', limit: 0 })
    .set('Authorization', auth);
  expect(paths(badLimit)).toContain('/query/limit');
  const viaCases = await request(h.app)
    .post('/api/v1/cases/knowledge')
    .set('Authorization', auth)
    .send({ entryId: 'KB-000001', version: 1, title: 't', origin: 'manual' });
  expect(viaCases.status).toBe(400);
  expect(paths(viaCases)).toEqual(['/entryId']);
  // No half-started work: none of these left an entry behind.
  expect(await h.db('knowledge_entries').where({ created_by: people.clerk }).count({ n: '*' })).toEqual(
    entriesBefore,
  );
});

test('vendor staff find entries of their vendor’s systems and entries tied to no system, not another vendor’s', async () => {
  const [ours, theirs] = await seedPublishedEntries(
    h.db,
    [systems.ours, systems.theirs].map((system) => ({
      title: `批量代发文件生成失败 wqpz ${system}`,
      problem: '代发文件生成失败 wqpz',
      symptoms: '',
      cause: '',
      solution: '重新生成',
      systems: [system],
      tags: [],
      sourceCases: [],
    })),
    people.author,
  );
  const found = (await search(people.vendorEngineer, 'wqpz')).map((i) => i.entryId);
  expect(found).toContain(ours);
  expect(found).not.toContain(theirs);
  expect((await search(people.clerk, 'wqpz')).map((i) => i.entryId)).toEqual(
    expect.arrayContaining([ours, theirs]),
  );
  expect((await entry(theirs, people.vendorEngineer)).status).toBe(404);
  // The 200 seeded entries are tied to no system: vendor staff read them.
  expect((await entry(seeded[0], people.vendorEngineer)).status).toBe(200);
});

test('a retried proposal with the same Idempotency-Key gets the first entry and review back; another body under the key is refused', async () => {
  const send = async (body: object) =>
    request(h.app)
      .post('/api/v1/knowledge/proposals')
      .set('Authorization', await as(people.proposer))
      .set('Idempotency-Key', `kb-retry-${tag}`)
      .send(body);
  const body = {
    title: `前置机证书更新 retry ${tag}`,
    problem: '前置机证书即将过期',
    solution: '按手册更换证书',
  };
  const first = await send(body);
  expect(first.status).toBe(201);
  reviewCases.push(first.body.reviewCaseId);
  const again = await send(body);
  expect(again.status).toBe(201);
  expect(again.headers['idempotent-replayed']).toBe('true');
  expect(again.body).toMatchObject({
    entryId: first.body.entryId,
    reviewCaseId: first.body.reviewCaseId,
    version: 1,
  });
  const [{ n }] = await h.db('knowledge_entry_versions').where({ title: body.title }).count({ n: '*' });
  expect(Number(n)).toBe(1);
  const other = await send({ ...body, solution: 'something else' });
  expect(other.status).toBe(409);
  expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
});
