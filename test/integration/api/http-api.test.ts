/** The HTTP contract around the cases: authentication, roles, error bodies, hardening, admin, docs. */
import type { Connection } from '@temporalio/client';
import request from 'supertest';
import { noteHolidayDataGaps } from '../../../db/calendars';
import { signJwt } from '../../../api/jwt';
import { seedDemoUsers } from '../../../scripts/seed-demo-users';
import { createApp } from '../../../api/app';
import { createReadiness } from '../../../api/readiness';
import { createLogger } from '../../../runtime/logger';
import { startHarness, OLD_SECRET, type Harness } from './harness';

let h: Harness;
let requester: string;
let admin: string;
let integration: string;

const start = (auth: string) => request(h.app).post('/api/v1/cases/access').set('Authorization', auth);
const validForm = { title: 'Read access', system: 'si-core', justification: 'incident 42' };

beforeAll(async () => {
  h = await startHarness();
  requester = await h.user('requester', ['requester']);
  admin = await h.user('admin', ['admin']);
  integration = await h.user('integration', ['requester']);
  await seedDemoUsers(h.db);
});

afterAll(async () => {
  await h?.close();
});

function expectProblem(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
}

/** Another app on this file's servers, with some API settings changed. */
const withConfig = (api: Partial<Harness['config']['api']>) =>
  createApp({
    readiness: createReadiness({
      connection: h.client.connection as Connection,
      namespace: 'default',
      taskQueue: h.config.temporal.taskQueue,
      db: h.db,
    }),
    client: h.client,
    db: h.db,
    config: { ...h.config, api: { ...h.config.api, ...api } },
    log: createLogger('api-test', 'silent'),
    environment: 'test',
  });

describe('bad input is a clear 4xx, never a 5xx or a half-started case', () => {
  test('malformed JSON is 400 MALFORMED_JSON', async () => {
    const res = await start(await h.bearer(requester))
      .set('Content-Type', 'application/json')
      .send('{"title": ');
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  test('a body that is not JSON is 415', async () => {
    const res = await start(await h.bearer(requester))
      .set('Content-Type', 'text/plain')
      .send('title=x');
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('a body over the configured limit is 413', async () => {
    const res = await start(await h.bearer(requester)).send({
      ...validForm,
      justification: 'x'.repeat(10_000),
    });
    expectProblem(res, 413, 'BODY_TOO_LARGE');
  });

  test.each([
    ['a case start', '/api/v1/cases/access'],
    ['the unauthenticated dev-token route', '/api/v1/auth/dev-token'],
    ['an admin write', '/api/v1/admin/departments/d1'],
  ])('JSON nested 3,000 deep is 400 BODY_TOO_DEEP on %s, not a stack overflow', async (_where, url) => {
    const app = withConfig({ bodyLimit: '100kb' });
    const auth = await h.bearer(admin);
    for (const body of ['['.repeat(3000) + ']'.repeat(3000), '{"a":'.repeat(3000) + '1' + '}'.repeat(3000)]) {
      const agent = request(app);
      const res = await (url.includes('admin') ? agent.put(url) : agent.post(url))
        .set('Authorization', auth)
        .set('Content-Type', 'application/json')
        .send(body);
      expectProblem(res, 400, 'BODY_TOO_DEEP');
      expect(res.body.detail).toMatch(/nested deeper than 32 levels/);
    }
    // Brackets inside strings are text, not nesting.
    const res = await request(app)
      .post('/api/v1/auth/dev-token')
      .send({ userId: `demo-${'['.repeat(3000)}` });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  test('an unknown field is refused naming its JSON pointer', async () => {
    const before = await h.db('api_idempotency_keys').count({ n: '*' });
    const res = await start(await h.bearer(requester)).send({ ...validForm, colour: 'red', title: 'x' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: '/colour', message: 'is not a known field' },
        { path: '/title', message: expect.stringContaining('fewer than 3') },
      ]),
    );
    expect(await h.db('api_idempotency_keys').count({ n: '*' })).toEqual(before);
  });

  test('an unknown process is 404 PROCESS_NOT_FOUND, a malformed one 400', async () => {
    const unknown = await request(h.app)
      .post('/api/v1/cases/nosuch')
      .set('Authorization', await h.bearer(requester))
      .send(validForm);
    expectProblem(unknown, 404, 'PROCESS_NOT_FOUND');
    const bad = await request(h.app)
      .post('/api/v1/cases/NO_SUCH!')
      .set('Authorization', await h.bearer(requester))
      .send(validForm);
    expectProblem(bad, 400, 'INVALID_PARAMETER');
  });

  test('an unknown route is a 404 problem, a known path with the wrong method 405', async () => {
    expectProblem(await request(h.app).get('/api/v1/nothing-here'), 404, 'ROUTE_NOT_FOUND');
    expectProblem(
      await request(h.app)
        .delete('/api/v1/cases')
        .set('Authorization', await h.bearer(requester)),
      405,
      'METHOD_NOT_ALLOWED',
    );
  });

  test('an invalid query parameter names it', async () => {
    const res = await request(h.app)
      .get('/api/v1/cases')
      .query({ limit: 'many', colour: 'red' })
      .set('Authorization', await h.bearer(requester));
    expectProblem(res, 400, 'INVALID_QUERY');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/query/colour',
      '/query/limit',
    ]);
  });
});

describe('authentication', () => {
  test('no credentials is 401', async () => {
    expectProblem(await request(h.app).get('/api/v1/me'), 401, 'UNAUTHENTICATED');
  });

  test('an expired token is 401 TOKEN_EXPIRED', async () => {
    const token = signJwt(
      { sub: requester, iss: h.config.auth.jwtIssuer, aud: h.config.auth.jwtAudience },
      h.config.auth.jwtSecrets[0],
      60,
      Date.now() - 3600_000,
    );
    expectProblem(
      await request(h.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`),
      401,
      'TOKEN_EXPIRED',
    );
  });

  test('a tampered token is 401 TOKEN_INVALID', async () => {
    const token = await h.token(requester);
    const [head, , sig] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        sub: admin,
        iss: h.config.auth.jwtIssuer,
        aud: h.config.auth.jwtAudience,
        exp: 9999999999,
      }),
    ).toString('base64url');
    expectProblem(
      await request(h.app).get('/api/v1/me').set('Authorization', `Bearer ${head}.${forged}.${sig}`),
      401,
      'TOKEN_INVALID',
    );
    const alg = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    expectProblem(
      await request(h.app)
        .get('/api/v1/me')
        .set('Authorization', `Bearer ${alg}.${token.split('.')[1]}.${sig}`),
      401,
      'TOKEN_INVALID',
    );
  });

  test('a token for another audience or issuer is 401', async () => {
    const token = signJwt(
      { sub: requester, iss: h.config.auth.jwtIssuer, aud: 'someone-else' },
      h.config.auth.jwtSecrets[0],
      60,
    );
    expectProblem(
      await request(h.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`),
      401,
      'TOKEN_INVALID',
    );
    const issuer = signJwt(
      { sub: requester, iss: 'evil', aud: h.config.auth.jwtAudience },
      h.config.auth.jwtSecrets[0],
      60,
    );
    expectProblem(
      await request(h.app).get('/api/v1/me').set('Authorization', `Bearer ${issuer}`),
      401,
      'TOKEN_INVALID',
    );
  });

  test('a token signed with the previous (rotated) key still verifies', async () => {
    const token = await (await import('../../../api/auth')).issueToken(h.config, requester, OLD_SECRET);
    const res = await request(h.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: requester, roles: ['requester'] });
  });

  test('an inactive account is refused even with a valid token', async () => {
    const gone = await h.user('gone', ['requester'], { active: false });
    expectProblem(
      await request(h.app)
        .get('/api/v1/me')
        .set('Authorization', await h.bearer(gone)),
      401,
      'ACCOUNT_INACTIVE',
    );
  });

  test('roles come from the directory at each request: a granted role applies to the same token at once', async () => {
    const person = await h.user('promoted', ['requester']);
    const auth = await h.bearer(person);
    expectProblem(
      await request(h.app).get('/api/v1/admin/users').set('Authorization', auth),
      403,
      'ROLE_REQUIRED',
    );
    await h.user('promoted', ['requester', 'admin']);
    expect((await request(h.app).get('/api/v1/admin/users').set('Authorization', auth)).status).toBe(200);
  });

  test('API keys: created by an admin, stored hashed, accepted in either header, dead once revoked', async () => {
    const created = await request(h.app)
      .post('/api/v1/admin/api-keys')
      .set('Authorization', await h.bearer(admin))
      .send({ userId: integration, name: 'monitoring' });
    expect(created.status).toBe(201);
    const { key, id } = created.body;
    expect(await h.db('api_keys').where({ key_hash: key }).first()).toBeUndefined();
    expect((await request(h.app).get('/api/v1/me').set('X-API-Key', key)).body.id).toBe(integration);
    const viaScheme = await request(h.app)
      .post('/api/v1/cases/access')
      .set('Authorization', `ApiKey ${key}`)
      .send(validForm);
    expect(viaScheme.status).toBe(201);
    expectProblem(
      await request(h.app).get('/api/v1/me').set('X-API-Key', 'ofk_guess'),
      401,
      'API_KEY_INVALID',
    );
    expect(
      (
        await request(h.app)
          .delete(`/api/v1/admin/api-keys/${id}`)
          .set('Authorization', await h.bearer(admin))
      ).status,
    ).toBe(204);
    expectProblem(await request(h.app).get('/api/v1/me').set('X-API-Key', key), 401, 'API_KEY_INVALID');
  });

  test('dev tokens are issued for seeded demo users only, rate limited', async () => {
    const res = await request(h.app).post('/api/v1/auth/dev-token').send({ userId: 'demo-ops-head' });
    expect(res.status).toBe(200);
    expect(res.headers.ratelimit).toBeDefined();
    const me = await request(h.app).get('/api/v1/me').set('Authorization', `Bearer ${res.body.token}`);
    expect(me.body).toMatchObject({ id: 'demo-ops-head', roles: ['ops_head'] });
    expectProblem(
      await request(h.app).post('/api/v1/auth/dev-token').send({ userId: requester }),
      404,
      'DEMO_USER_NOT_FOUND',
    );
  });
});

describe('hardening', () => {
  test('security headers, request ids in and out, no CORS unless configured, no x-powered-by', async () => {
    const res = await request(h.app)
      .get('/healthz')
      .set('X-Request-Id', 'req-123')
      .set('Origin', 'https://evil.example');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    const generated = await request(h.app).get('/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('API responses carrying case data are Cache-Control: no-store, errors included', async () => {
    const auth = await h.bearer(requester);
    const created = await start(auth).send(validForm);
    expect(created.status).toBe(201);
    for (const url of [
      `/api/v1/cases/${created.body.id as string}`,
      '/api/v1/cases',
      `/api/v1/cases/${created.body.id as string}/events`,
      '/api/v1/me/inbox',
      '/api/v1/cases/ACC-2026-999999',
    ]) {
      const res = await request(h.app).get(url).set('Authorization', auth);
      expect([url, res.headers['cache-control']]).toEqual([url, 'no-store']);
    }
  });

  test('failed authentication is rate limited per client; successes are not counted', async () => {
    const limited = withConfig({ authFailuresPerMinute: 3 });
    const good = await h.bearer(requester);
    for (let i = 0; i < 5; i++) {
      expect((await request(limited).get('/api/v1/me').set('Authorization', good)).status).toBe(200);
    }
    expectProblem(
      await request(limited).get('/api/v1/me').set('Authorization', 'ApiKey not-a-key'),
      401,
      'API_KEY_INVALID',
    );
    expectProblem(
      await request(limited).get('/api/v1/me').set('Authorization', 'Bearer not.a.token'),
      401,
      'TOKEN_INVALID',
    );
    expectProblem(await request(limited).get('/api/v1/me').set('X-API-Key', 'guess'), 401, 'API_KEY_INVALID');
    const blocked = await request(limited).get('/api/v1/me').set('Authorization', 'ApiKey another-guess');
    expectProblem(blocked, 429, 'AUTH_RATE_LIMITED');
    expect(blocked.headers.ratelimit).toBeDefined();
    // The client is blocked as a whole for the rest of the minute, valid credentials or not.
    expectProblem(
      await request(limited).get('/api/v1/me').set('Authorization', good),
      429,
      'AUTH_RATE_LIMITED',
    );
  });

  test('many requests in flight at once from one client are not limited: only failures count', async () => {
    const limited = withConfig({ authFailuresPerMinute: 3 });
    const good = await h.bearer(requester);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => request(limited).get('/api/v1/me').set('Authorization', good)),
    );
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 12 }, () => 200));
  });

  test('readiness reports Temporal, PostgreSQL and the worker', async () => {
    const res = await request(h.app).get('/readyz');
    expect(res.status).toBe(200);
    // Other tests on this database may leave holiday-data warnings: they do not make it unready.
    expect(res.body).toMatchObject({
      ready: true,
      checks: { temporal: { ok: true }, postgres: { ok: true }, worker: { ok: true } },
    });
  });
});

describe('admin', () => {
  test('non-admins are refused with 403 ROLE_REQUIRED', async () => {
    expectProblem(
      await request(h.app)
        .get('/api/v1/admin/systems')
        .set('Authorization', await h.bearer(requester)),
      403,
      'ROLE_REQUIRED',
    );
  });

  test('departments, users with roles and systems are created and listed', async () => {
    const auth = await h.bearer(admin);
    expect(
      (
        await request(h.app)
          .put('/api/v1/admin/departments/api-dept')
          .set('Authorization', auth)
          .send({ name: 'Networks' })
      ).status,
    ).toBe(200);
    const user = await request(h.app)
      .put('/api/v1/admin/users/api-new-user')
      .set('Authorization', auth)
      .send({
        displayName: 'New',
        email: 'new@example.invalid',
        roles: ['ops_engineer', 'tester'],
        departmentId: 'api-dept',
      });
    expect(user.status).toBe(200);
    expect(user.body).toMatchObject({
      id: 'api-new-user',
      roles: ['ops_engineer', 'tester'],
      locale: 'zh-CN',
      active: true,
    });
    const badRole = await request(h.app)
      .put('/api/v1/admin/users/api-new-user')
      .set('Authorization', auth)
      .send({ displayName: 'New', email: 'new@example.invalid', roles: ['king'] });
    expectProblem(badRole, 400, 'VALIDATION_FAILED');
    expect(badRole.body.errors[0].path).toBe('/roles/0');

    expect(
      (
        await request(h.app)
          .put('/api/v1/admin/systems/si-core')
          .set('Authorization', auth)
          .send({ name: 'Core', ownerDepartmentId: 'api-dept' })
      ).status,
    ).toBe(200);
    const systems = await request(h.app).get('/api/v1/admin/systems').set('Authorization', auth);
    expect(systems.body.items).toContainEqual({
      id: 'si-core',
      name: 'Core',
      ownerDepartmentId: 'api-dept',
      vendorId: null,
      active: true,
    });
    const orphan = await request(h.app)
      .put('/api/v1/admin/systems/si-x')
      .set('Authorization', auth)
      .send({ name: 'X', ownerDepartmentId: 'nope' });
    expectProblem(orphan, 422, 'REFERENCE_NOT_FOUND');
    expect(
      (await request(h.app).get('/api/v1/admin/users').set('Authorization', auth)).body.items.map(
        (u: { id: string }) => u.id,
      ),
    ).toContain('api-new-user');
    expect(
      (await request(h.app).get('/api/v1/admin/users/api-new-user').set('Authorization', auth)).status,
    ).toBe(200);
    expect(
      (await request(h.app).get('/api/v1/admin/departments').set('Authorization', auth)).body.items,
    ).toContainEqual({ id: 'api-dept', name: 'Networks' });
  });

  test('SLA policies are upserted through the repository checks', async () => {
    const auth = await h.bearer(admin);
    const policy = {
      process: 'api-test',
      stage: '*',
      priority: '*',
      basis: 'elapsed',
      duration: 'PT2H',
      warnRatio: 0.5,
      escalation: [{ level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] }],
    };
    expect(
      (
        await request(h.app)
          .put('/api/v1/admin/sla-policies/api-test-all')
          .set('Authorization', auth)
          .send(policy)
      ).status,
    ).toBe(200);
    const list = await request(h.app).get('/api/v1/admin/sla-policies').set('Authorization', auth);
    expect(list.body.items.find((p: { id: string }) => p.id === 'api-test-all')).toMatchObject({
      duration: 'PT2H',
      warnRatio: 0.5,
    });
    const working = await request(h.app)
      .put('/api/v1/admin/sla-policies/api-test-w')
      .set('Authorization', auth)
      .send({ ...policy, basis: 'working' });
    expectProblem(working, 422, 'INVALID_CONFIGURATION');
    expect(working.body.detail).toContain('calendar');
    const clash = await request(h.app)
      .put('/api/v1/admin/sla-policies/api-test-clash')
      .set('Authorization', auth)
      .send({ ...policy, duration: 'PT4H' });
    expectProblem(clash, 409, 'SLA_POLICY_CONFLICT');
    expect(clash.body.conflictingPolicyId).toBe('api-test-all');
    expect(clash.body.detail).toContain('api-test-all');
  });

  test('calendars import from JSON or CSV; a bad file names the field or line', async () => {
    const auth = await h.bearer(admin);
    const json = {
      id: 'api-cal',
      name: 'API calendar',
      timeZone: 'Asia/Shanghai',
      workingHours: [{ start: '09:00', end: '17:00' }],
      weekendDays: [6, 7],
      days: [{ date: '2027-01-01', kind: 'holiday' }],
    };
    const imported = await request(h.app)
      .post('/api/v1/admin/calendars/import')
      .set('Authorization', auth)
      .send(json);
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ id: 'api-cal', holidays: ['2027-01-01'] });
    const csv =
      'id,api-cal-csv\nname,CSV calendar\ntimeZone,Asia/Shanghai\nworkingHours,09:00-12:00 13:30-17:30\nweekendDays,6 7\ndate,kind,name\n2027-02-20,workday,make-up\n';
    const fromCsv = await request(h.app)
      .post('/api/v1/admin/calendars/import')
      .set('Authorization', auth)
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(fromCsv.status).toBe(201);
    expect(fromCsv.body.makeUpWorkdays).toEqual(['2027-02-20']);
    // An empty iCalendar body (found by schemathesis) is a 400 naming the body, not a 500.
    const empty = await request(h.app)
      .post('/api/v1/admin/calendars/import?calendar=0')
      .set('Authorization', auth)
      .set('Content-Type', 'text/calendar');
    expectProblem(empty, 400, 'VALIDATION_FAILED');
    expect(empty.body.errors).toEqual([{ path: '/body', message: 'is empty: send the ics file' }]);
    expect(
      (await request(h.app).get('/api/v1/admin/calendars/api-cal-csv').set('Authorization', auth)).status,
    ).toBe(200);
    const bad = await request(h.app)
      .post('/api/v1/admin/calendars/import')
      .set('Authorization', auth)
      .send({ ...json, days: [{ date: '2027-13-01', kind: 'holiday' }] });
    expectProblem(bad, 422, 'CALENDAR_INVALID');
    expect(bad.body.errors[0].path).toContain('days[0]');
  });
});

describe('holiday schedules', () => {
  test('an .ics schedule merges into a calendar; a year a due time ran into without data is a warning', async () => {
    const auth = await h.bearer(admin);
    const id = 'api-ics-cal';
    await request(h.app)
      .post('/api/v1/admin/calendars/import')
      .set('Authorization', auth)
      .send({
        id,
        name: 'ICS target',
        timeZone: 'Asia/Shanghai',
        workingHours: [{ start: '09:00', end: '17:00' }],
      });
    // National Day 2025 as the State Council set it (the harness allows 4 kB bodies).
    const event = (summary: string, start: string, end: string) =>
      `BEGIN:VEVENT\r\nUID:${start}@test\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:${summary}\r\nDTSTART;VALUE=DATE:${start}\r\nDTEND;VALUE=DATE:${end}\r\nEND:VEVENT\r\n`;
    const ics =
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n' +
      event('国庆节(休)', '20251001', '20251009') +
      event('国庆节(班)', '20250928', '20250929') +
      event('国庆节(班)', '20251011', '20251012') +
      'END:VCALENDAR\r\n';
    try {
      const merged = await request(h.app)
        .post(`/api/v1/admin/calendars/import?calendar=${id}`)
        .set('Authorization', auth)
        .set('Content-Type', 'text/calendar')
        .send(ics);
      expect(merged.status).toBe(201);
      expect(merged.body).toMatchObject({ id, holidaysThrough: 2025, warnings: [] });
      expect(merged.body.makeUpWorkdays).toEqual(['2025-09-28', '2025-10-11']);
      expect(merged.body.holidays).toHaveLength(8);

      await noteHolidayDataGaps(h.db, [{ calendarId: id, year: 2026, caseId: 'DEF-2026-000001' }]);
      const view = await request(h.app).get(`/api/v1/admin/calendars/${id}`).set('Authorization', auth);
      expect(view.body.warnings).toEqual([
        expect.objectContaining({ year: 2026, holidaysThrough: 2025, firstCaseId: 'DEF-2026-000001' }),
      ]);
      const ready = await request(h.app).get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.warnings).toEqual(
        expect.arrayContaining([expect.stringContaining(`calendar ${id} has holiday data through 2025`)]),
      );

      const missing = await request(h.app)
        .post('/api/v1/admin/calendars/import?calendar=no-such-cal')
        .set('Authorization', auth)
        .set('Content-Type', 'text/calendar')
        .send(ics);
      expectProblem(missing, 404, 'CALENDAR_NOT_FOUND');
    } finally {
      await h.db('working_calendars').where({ id }).delete();
    }
  });
});

describe('documentation', () => {
  test('GET /openapi.json is an OpenAPI 3.1 document of every operation, from the same schemas', async () => {
    const res = await request(h.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/cases/{process}',
        '/api/v1/cases',
        '/api/v1/cases/{id}',
        '/api/v1/cases/{id}/events',
        '/api/v1/cases/{id}/decisions',
        '/api/v1/cases/{id}/tasks/{task}/claim',
        '/api/v1/cases/{id}/offline-entries',
        '/api/v1/me/inbox',
        '/api/v1/admin/users/{id}',
      ]),
    );
    const decide = res.body.paths['/api/v1/cases/{id}/decisions'].post;
    expect(decide.requestBody.content['application/json'].schema.required).toEqual(['step', 'decision']);
    expect(decide.responses['409'].content['application/problem+json']).toBeDefined();
  });

  test('every operation documents the 400, 413 and 415 any body or query can cause, and 401/403/429 behind authentication', async () => {
    const res = await request(h.app).get('/openapi.json');
    const operations = Object.values(
      res.body.paths as Record<
        string,
        Record<string, { operationId: string; security?: unknown[]; responses: Record<string, unknown> }>
      >,
    ).flatMap((methods) => Object.values(methods));
    expect(operations.length).toBeGreaterThan(20);
    for (const op of operations) {
      const codes = Object.keys(op.responses);
      expect([op.operationId, codes]).toEqual([
        op.operationId,
        expect.arrayContaining(['400', '413', '415']),
      ]);
      if (!op.security)
        expect([op.operationId, codes]).toEqual([
          op.operationId,
          expect.arrayContaining(['401', '403', '429']),
        ]);
    }
    expect(res.body.paths['/api/v1/admin/sla-policies/{id}'].put.responses['409']).toBeDefined();
  });

  test('GET /docs is a self-contained page', async () => {
    const res = await request(h.app).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('/api/v1/cases/{id}/decisions');
    expect(res.text).not.toMatch(/<script|https?:\/\/(cdn|unpkg)/);
  });
});

describe('change scheduling master data', () => {
  test('freeze periods, maintenance windows and standard changes are stored for the change process', async () => {
    const auth = await h.bearer(admin);
    const freeze = {
      name: 'Year-end freeze',
      startsAt: '2027-12-25T00:00:00.000Z',
      endsAt: '2028-01-03T00:00:00.000Z',
      systems: ['si-core'],
    };
    expect(
      (
        await request(h.app)
          .put('/api/v1/admin/freeze-periods/api-freeze')
          .set('Authorization', auth)
          .send(freeze)
      ).status,
    ).toBe(200);
    expect((await h.db('change_freeze_periods').where({ id: 'api-freeze' }).first()).systems).toEqual([
      'si-core',
    ]);
    const backwards = await request(h.app)
      .put('/api/v1/admin/maintenance-windows/api-win')
      .set('Authorization', auth)
      .send({ name: 'Saturday night', startsAt: '2027-06-06T02:00:00Z', endsAt: '2027-06-05T22:00:00Z' });
    expectProblem(backwards, 400, 'VALIDATION_FAILED');
    expect(backwards.body.errors).toEqual([{ path: '/endsAt', message: 'must be after startsAt' }]);
    const window = await request(h.app)
      .put('/api/v1/admin/maintenance-windows/api-win')
      .set('Authorization', auth)
      .send({ name: 'Saturday night', startsAt: '2027-06-05T14:00:00Z', endsAt: '2027-06-05T22:00:00Z' });
    expect(window.status).toBe(200);
    const standard = await request(h.app)
      .put('/api/v1/admin/standard-changes/api-std')
      .set('Authorization', auth)
      .send({
        name: 'Rotate TLS certificate',
        changeType: 'configuration',
        implementationSteps: ['install'],
        rollbackSteps: ['restore'],
      });
    expect(standard.status).toBe(200);
    expect(standard.body).toMatchObject({ approvedBy: admin, approved: true });
    expect((await h.db('standard_changes').where({ id: 'api-std' }).first()).approved_by).toBe(admin);
  });
});
