/** The error model: field errors as JSON pointers, problems with stable codes, who may call what. */
import { refusalCodes } from '../../workflows/contracts/refusals';
import express from 'express';
import request from 'supertest';
import { problemHandler, RefusalError, toProblem, ValidationError } from '../../api/errors';
import { jsonDepth } from '../../api/json-depth';
import { validate } from '../../api/operations';
import { isAllowed, mayStart } from '../../api/policy';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['step'],
  properties: {
    step: { type: 'string' },
    nested: { type: 'object', additionalProperties: false, properties: { n: { type: 'integer' } } },
  },
};

test('validation errors name unknown, missing and wrong fields by JSON pointer', () => {
  let caught: unknown;
  try {
    validate(schema, { extra: 1, nested: { n: 'x', zz: true } });
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  const problem = toProblem(caught as ValidationError);
  expect(problem).toMatchObject({
    status: 400,
    code: 'VALIDATION_FAILED',
    type: expect.stringMatching(/validation-failed$/),
  });
  expect(problem.errors).toEqual(
    expect.arrayContaining([
      { path: '/extra', message: 'is not a known field' },
      { path: '/step', message: 'is required' },
      { path: '/nested/zz', message: 'is not a known field' },
      { path: '/nested/n', message: 'must be integer' },
    ]),
  );
});

test('every kernel refusal keeps its code and the status the kernel gives it', () => {
  for (const [code, status] of Object.entries(refusalCodes)) {
    const problem = toProblem(
      new RefusalError(code as keyof typeof refusalCodes, 'no', { errors: [{ path: '/a', message: 'bad' }] }),
    );
    expect(problem).toMatchObject({ status, code, errors: [{ path: '/a', message: 'bad' }] });
  }
  expect(refusalCodes.SOD_REQUESTER).toBe(403);
  expect(refusalCodes.DUPLICATE_DECISION).toBe(409);
  expect(refusalCodes.FORM_INVALID).toBe(422);
});

test('admins administer, auditors read but never act, starter roles gate a process', () => {
  expect(isAllowed({ roles: ['admin'] }, 'admin')).toBe(true);
  expect(isAllowed({ roles: ['ops_head'] }, 'admin')).toBe(false);
  expect(isAllowed({ roles: ['auditor'] }, 'case:read')).toBe(true);
  expect(isAllowed({ roles: ['auditor'] }, 'case:act')).toBe(false);
  expect(isAllowed({ roles: ['auditor', 'ops_head'] }, 'case:act')).toBe(true);
  expect(isAllowed({ roles: ['requester'] }, 'case:record-offline')).toBe(false);
  expect(mayStart({ roles: ['requester'] }, [])).toBe(true);
  expect(mayStart({ roles: ['requester'] }, ['department_head'])).toBe(false);
});

test.each([
  ['starting up', { code: '57P03' }],
  ['refusing connections', { code: 'ECONNREFUSED' }],
  ['a broken connection', { code: '08006' }],
  ['an exhausted pool', { name: 'KnexTimeoutError' }],
])('PostgreSQL %s is a 503 to retry, not a 500', async (_what, props) => {
  const app = express();
  app.get('/', () => {
    throw Object.assign(new Error('database trouble'), props);
  });
  app.use(problemHandler);
  const res = await request(app).get('/');
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({ code: 'UNAVAILABLE', status: 503 });
});

test('JSON depth counts arrays and objects, not brackets inside strings', () => {
  const depth = (text: string) => jsonDepth(Buffer.from(text));
  expect(depth('{"a":[1,{"b":[]}]}')).toBe(4);
  expect(depth('"[[[[{{{{"')).toBe(0);
  expect(depth('{"a":"\\"}')).toBe(1);
  expect(depth('{"a":"\\"[[["}')).toBe(1);
  expect(depth('['.repeat(5000))).toBe(5000);
  expect(jsonDepth(Buffer.from('['.repeat(5000)), 32)).toBe(33);
});
