/** Configuration for admins: people and roles, departments, systems, SLA policies, calendars, API keys. */
import type { Knex } from 'knex';
import { createApiKey, listApiKeys, revokeApiKey } from '../../db/api-keys';
import {
  listDepartments,
  listSlaPolicies,
  listSystems,
  listUsers,
  upsertSystem,
} from '../../db/api-master-data';
import { CalendarImportError, readCalendarFile, type CalendarFileFormat } from '../../db/calendar-import';
import { listOutbox, type OutboxEntry } from '../../db/outbox';
import { upsertStandardChange } from '../../db/change-catalogue';
import {
  deletePeriod,
  listPeriods,
  upsertFreezePeriod,
  upsertMaintenanceWindow,
  type PeriodKind,
} from '../../db/change-schedule';
import {
  CalendarNotFoundError,
  loadCalendar,
  openHolidayDataGaps,
  storeCalendarFile,
} from '../../db/calendars';
import { getUser, upsertDepartment, upsertUser, type UserInput } from '../../db/directory';
import { findClashingSlaPolicy, upsertSlaPolicy, type SlaPolicyDefinition } from '../../db/sla-policies';
import { ApiError, ConflictError, NotFoundError, ValidationError } from '../errors';
import type { OperationRegistry } from '../operations';
import * as s from '../schemas';

const problem = (description: string) => ({ description, schema: s.problemSchema });
const adminErrors = {
  400: problem('the body is not valid'),
  401: problem('not authenticated'),
  403: problem('admin role required'),
  422: problem('the data breaks a rule the store enforces (unknown department, calendar, bad duration…)'),
};

/** What the repositories and PostgreSQL refuse becomes a 422 naming the reason, never a 500. */
async function storing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof RangeError) throw new ApiError(422, 'INVALID_CONFIGURATION', err.message);
    if (err instanceof CalendarNotFoundError) throw new NotFoundError(err.message, 'CALENDAR_NOT_FOUND');
    if (err instanceof CalendarImportError) {
      throw new ApiError(422, 'CALENDAR_INVALID', err.message, {
        errors: [{ path: err.where, message: err.message }],
      });
    }
    const code = (err as { code?: string }).code;
    if (code === '23503')
      throw new ApiError(422, 'REFERENCE_NOT_FOUND', 'a referenced record does not exist');
    if (code === '23514' || code?.startsWith('22'))
      throw new ApiError(422, 'INVALID_CONFIGURATION', 'the value breaks a constraint of the store');
    throw err;
  }
}

/** The calendar as an admin sees it: with a warning for each year a due time ran into without holiday data. */
async function calendarView(db: Knex, id: string) {
  const calendar = await loadCalendar(db, id);
  if (!calendar) throw new NotFoundError(`no calendar ${id}`, 'CALENDAR_NOT_FOUND');
  const warnings = (await openHolidayDataGaps(db, id)).map(({ calendarId: _id, ...gap }) => gap);
  return { ...calendar, warnings };
}

export function registerAdminOperations(api: OperationRegistry, deps: { db: Knex }): void {
  const { db } = deps;
  const list = (
    path: string,
    operationId: string,
    summary: string,
    item: s.Schema,
    read: () => Promise<unknown[]>,
  ) =>
    api.add(
      {
        method: 'get',
        path,
        operationId,
        tag: 'admin',
        summary,
        permission: 'admin',
        responses: {
          200: { description: summary, schema: s.listOf(`${item.title as string}List`, item) },
          ...adminErrors,
        },
      },
      async () => ({ status: 200, body: { items: await read() } }),
    );

  list('/api/v1/admin/users', 'listUsers', 'Every user with their roles', s.userSchema, () => listUsers(db));
  api.add(
    {
      method: 'get',
      path: '/api/v1/admin/users/{id}',
      operationId: 'getUser',
      tag: 'admin',
      summary: 'One user with their roles',
      permission: 'admin',
      params: { id: s.idParam },
      responses: {
        200: { description: 'the user', schema: s.userSchema },
        404: problem('no such user'),
        ...adminErrors,
      },
    },
    async ({ params }) => {
      const user = await getUser(db, params.id);
      if (!user) throw new NotFoundError(`no user ${params.id}`, 'USER_NOT_FOUND');
      return { status: 200, body: user };
    },
  );
  api.add(
    {
      method: 'put',
      path: '/api/v1/admin/users/{id}',
      operationId: 'putUser',
      tag: 'admin',
      summary: 'Create or update a user; roles become exactly the list given (applies at their next request)',
      permission: 'admin',
      params: { id: s.idParam },
      body: s.userSchema,
      responses: { 200: { description: 'the stored user', schema: s.userSchema }, ...adminErrors },
    },
    async ({ params, body }) => {
      const input = { ...(body as Omit<UserInput, 'id'>), id: params.id };
      if ((body as { id?: string }).id !== undefined && (body as { id?: string }).id !== params.id) {
        throw new ValidationError([{ path: '/id', message: 'must match the id in the path' }]);
      }
      await storing(() => upsertUser(db, input as UserInput));
      return { status: 200, body: await getUser(db, params.id) };
    },
  );

  list('/api/v1/admin/departments', 'listDepartments', 'Every department', s.departmentSchema, () =>
    listDepartments(db),
  );
  api.add(
    {
      method: 'put',
      path: '/api/v1/admin/departments/{id}',
      operationId: 'putDepartment',
      tag: 'admin',
      summary: 'Create or rename a department',
      permission: 'admin',
      params: { id: s.idParam },
      body: s.departmentSchema,
      responses: { 200: { description: 'the department', schema: s.departmentSchema }, ...adminErrors },
    },
    async ({ params, body }) => {
      const department = { id: params.id, name: (body as { name: string }).name };
      await storing(() => upsertDepartment(db, department));
      return { status: 200, body: department };
    },
  );

  list('/api/v1/admin/systems', 'listSystems', 'Every information system', s.systemSchema, () =>
    listSystems(db),
  );
  api.add(
    {
      method: 'put',
      path: '/api/v1/admin/systems/{id}',
      operationId: 'putSystem',
      tag: 'admin',
      summary: 'Create or update an information system',
      permission: 'admin',
      params: { id: s.idParam },
      body: s.systemSchema,
      responses: { 200: { description: 'the system', schema: s.systemSchema }, ...adminErrors },
    },
    async ({ params, body }) => {
      const b = body as {
        name: string;
        ownerDepartmentId?: string | null;
        vendorId?: string | null;
        active: boolean;
      };
      const system = {
        id: params.id,
        name: b.name,
        ownerDepartmentId: b.ownerDepartmentId ?? null,
        vendorId: b.vendorId ?? null,
        active: b.active,
      };
      await storing(() => upsertSystem(db, system));
      return { status: 200, body: system };
    },
  );

  list('/api/v1/admin/sla-policies', 'listSlaPolicies', 'Every SLA policy', s.slaPolicySchema, () =>
    listSlaPolicies(db),
  );
  api.add(
    {
      method: 'put',
      path: '/api/v1/admin/sla-policies/{id}',
      operationId: 'putSlaPolicy',
      tag: 'admin',
      summary:
        'Create or update an SLA policy (running cases keep the policy they started with until re-planned)',
      permission: 'admin',
      params: { id: s.idParam },
      body: s.slaPolicySchema,
      responses: {
        200: { description: 'the policy', schema: s.slaPolicySchema },
        ...adminErrors,
        409: problem(
          'another policy already covers this process, stage and priority (`conflictingPolicyId`)',
        ),
      },
    },
    async ({ params, body }) => {
      const b = body as Omit<SlaPolicyDefinition, 'id'> & {
        warnRatio?: number | null;
        calendarId?: string | null;
      };
      const policy: SlaPolicyDefinition = {
        ...b,
        id: params.id,
        warnRatio: b.warnRatio ?? null,
        calendarId: b.calendarId ?? null,
      };
      try {
        await storing(() => upsertSlaPolicy(db, policy));
      } catch (err) {
        if ((err as { code?: string }).code !== '23505') throw err;
        const clash = await findClashingSlaPolicy(db, policy);
        throw new ConflictError(
          `SLA policy ${clash ?? '(another)'} already covers process ${policy.process}, stage ${policy.stage}, priority ${policy.priority}`,
          'SLA_POLICY_CONFLICT',
          { conflictingPolicyId: clash },
        );
      }
      return { status: 200, body: policy };
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/admin/calendars/import',
      operationId: 'importCalendar',
      tag: 'admin',
      summary:
        'Import a working calendar (JSON, CSV) or a holiday schedule (iCalendar, chinese-days JSON) (formats: db/seeds/calendars/README.md)',
      description:
        'A calendar replaces the one with its id. A holiday schedule replaces the dated days of its years in the calendar named by `calendar` (default `default`).',
      permission: 'admin',
      query: {
        type: 'object',
        additionalProperties: false,
        properties: {
          calendar: { ...s.idParam, description: 'where a holiday schedule goes; default `default`' },
        },
      },
      bodyTypes: ['application/json', 'text/csv', 'text/calendar'],
      responses: {
        201: { description: 'the calendar as stored', schema: s.calendarSchema },
        404: problem('no calendar to merge the holiday schedule into'),
        ...adminErrors,
      },
    },
    async ({ req, body, query }) => {
      const format: CalendarFileFormat = req.is('text/csv')
        ? 'csv'
        : req.is('text/calendar')
          ? 'ics'
          : 'json';
      // An empty text body arrives as no string at all: say so, not "[object Object]" to the parser.
      if (format !== 'json' && (typeof body !== 'string' || body.trim() === '')) {
        throw new ValidationError([{ path: '/body', message: `is empty: send the ${format} file` }]);
      }
      const text = format === 'json' ? JSON.stringify(body) : String(body);
      const id = await storing(() =>
        storeCalendarFile(db, readCalendarFile(text, format), query.calendar as string | undefined),
      );
      return {
        status: 201,
        headers: { Location: `/api/v1/admin/calendars/${id}` },
        body: await calendarView(db, id),
      };
    },
  );
  api.add(
    {
      method: 'get',
      path: '/api/v1/admin/calendars/{id}',
      operationId: 'getCalendar',
      tag: 'admin',
      summary: 'A working calendar',
      permission: 'admin',
      params: { id: s.idParam },
      responses: {
        200: { description: 'the calendar', schema: s.calendarSchema },
        404: problem('no such calendar'),
        ...adminErrors,
      },
    },
    async ({ params }) => ({ status: 200, body: await calendarView(db, params.id) }),
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/admin/outbox',
      operationId: 'listOutbox',
      tag: 'admin',
      summary:
        'The notification outbox, newest first: a mail that could not be rendered or delivered is `failed` with its reason',
      permission: 'admin',
      query: s.outboxQuery,
      responses: {
        200: { description: 'outbox rows', schema: s.listOf('OutboxEntryList', s.outboxEntrySchema) },
        ...adminErrors,
      },
    },
    async ({ query }) => {
      const q = query as { status?: OutboxEntry['status']; caseId?: string; limit: number };
      return { status: 200, body: { items: await listOutbox(db, q) } };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/admin/api-keys',
      operationId: 'listApiKeys',
      tag: 'admin',
      summary: 'API keys of integrations (never the keys themselves)',
      permission: 'admin',
      responses: {
        200: { description: 'the keys', schema: s.listOf('ApiKeyList', { type: 'object' }) },
        ...adminErrors,
      },
    },
    async () => ({ status: 200, body: { items: await listApiKeys(db) } }),
  );
  api.add(
    {
      method: 'post',
      path: '/api/v1/admin/api-keys',
      operationId: 'createApiKey',
      tag: 'admin',
      summary: 'Create an API key acting as a user; the key is shown once',
      permission: 'admin',
      body: s.apiKeyCreateBody,
      responses: { 201: { description: 'the new key', schema: s.apiKeyCreatedSchema }, ...adminErrors },
    },
    async ({ body }) => {
      const b = body as { userId: string; name: string };
      const created = await storing(() => createApiKey(db, b.userId, b.name));
      return { status: 201, body: created };
    },
  );
  api.add(
    {
      method: 'delete',
      path: '/api/v1/admin/api-keys/{id}',
      operationId: 'revokeApiKey',
      tag: 'admin',
      summary: 'Revoke an API key at once',
      permission: 'admin',
      params: { id: s.idParam },
      responses: {
        204: { description: 'revoked' },
        404: problem('no live key with that id'),
        ...adminErrors,
      },
    },
    async ({ params }) => {
      if (!(await revokeApiKey(db, params.id)))
        throw new NotFoundError(`no live API key ${params.id}`, 'API_KEY_NOT_FOUND');
      return { status: 204 };
    },
  );

  // Change scheduling (db/change-*.ts, migrations 0009-0011): when changes may go live, and the
  // standard changes approved once so later instances skip the full assessment.
  const period = (path: string, operationId: string, summary: string, write: typeof upsertFreezePeriod) =>
    api.add(
      {
        method: 'put',
        path,
        operationId,
        tag: 'admin',
        summary,
        permission: 'admin',
        params: { id: s.idParam },
        body: s.schedulePeriodSchema,
        responses: { 200: { description: 'the period', schema: s.schedulePeriodSchema }, ...adminErrors },
      },
      async ({ params, body }) => {
        const b = body as { name: string; startsAt: string; endsAt: string; systems: string[] };
        if (Date.parse(b.endsAt) <= Date.parse(b.startsAt)) {
          throw new ValidationError([{ path: '/endsAt', message: 'must be after startsAt' }]);
        }
        const stored = { id: params.id, ...b };
        await storing(() => write(db, stored));
        return { status: 200, body: stored };
      },
    );
  period(
    '/api/v1/admin/freeze-periods/{id}',
    'putFreezePeriod',
    'Create or update a change freeze period (no changes go live in it, emergencies aside)',
    upsertFreezePeriod,
  );
  period(
    '/api/v1/admin/maintenance-windows/{id}',
    'putMaintenanceWindow',
    'Create or update a maintenance window (when changes are scheduled)',
    upsertMaintenanceWindow,
  );

  for (const [kind, what] of [
    ['freeze-periods', 'change freeze periods'],
    ['maintenance-windows', 'maintenance windows'],
  ] as Array<[PeriodKind, string]>) {
    const name = kind === 'freeze-periods' ? 'FreezePeriod' : 'MaintenanceWindow';
    api.add(
      {
        method: 'get',
        path: `/api/v1/admin/${kind}`,
        operationId: `list${name}s`,
        tag: 'admin',
        summary: `The ${what}, soonest first (current=true: those not over yet)`,
        permission: 'admin',
        query: {
          type: 'object',
          additionalProperties: false,
          properties: { current: { type: 'boolean', default: false } },
        },
        responses: {
          200: { description: `the ${what}`, schema: s.listOf(`${name}List`, s.schedulePeriodSchema) },
          ...adminErrors,
        },
      },
      async ({ query }) => ({
        status: 200,
        body: { items: await listPeriods(db, kind, { current: query.current === true }) },
      }),
    );
    api.add(
      {
        method: 'delete',
        path: `/api/v1/admin/${kind}/{id}`,
        operationId: `delete${name}`,
        tag: 'admin',
        summary: `Delete one of the ${what}; changes already scheduled are re-checked at go-live`,
        permission: 'admin',
        params: { id: s.idParam },
        responses: { 204: { description: 'deleted' }, 404: problem('no such period'), ...adminErrors },
      },
      async ({ params }) => {
        if (!(await deletePeriod(db, kind, params.id)))
          throw new NotFoundError(
            `no ${kind.replace(/s$/, '').replace('-', ' ')} ${params.id}`,
            'PERIOD_NOT_FOUND',
          );
        return { status: 204 };
      },
    );
  }

  api.add(
    {
      method: 'put',
      path: '/api/v1/admin/standard-changes/{id}',
      operationId: 'putStandardChange',
      tag: 'admin',
      summary: 'Create or update a standard change of the catalogue; approving it records the calling admin',
      permission: 'admin',
      params: { id: s.idParam },
      body: s.standardChangeSchema,
      responses: { 200: { description: 'the template', schema: s.standardChangeSchema }, ...adminErrors },
    },
    async ({ params, body, principal }) => {
      const b = body as {
        name: string;
        changeType: string;
        systems: string[];
        implementationSteps: string[];
        rollbackSteps: string[];
        approved: boolean;
        active: boolean;
      };
      if (b.approved === undefined) b.approved = true;
      const template = {
        id: params.id,
        name: b.name,
        changeType: b.changeType,
        systems: b.systems,
        implementationSteps: b.implementationSteps,
        rollbackSteps: b.rollbackSteps,
        active: b.active,
        approvedBy: b.approved ? principal.user.id : null,
        approvedAt: b.approved ? new Date().toISOString() : null,
      };
      await storing(() => upsertStandardChange(db, template));
      return { status: 200, body: { ...template, approved: b.approved } };
    },
  );
}
