/**
 * The distribution lists of the monthly service report (master data `service_report_distribution`):
 * whom an approved report is mailed to. Admins read and replace a list; the `monthly` list is the
 * one the monthly job uses unless its row names another.
 */
import type { Knex } from 'knex';
import { getUser } from '../../db/directory';
import { distributionList, setDistributionList } from '../../db/service-report-snapshots';
import { ValidationError } from '../errors';
import type { OperationRegistry } from '../operations';
import * as s from '../schemas';

const problem = (description: string) => ({ description, schema: s.problemSchema });
const listSchema = {
  title: 'ServiceReportDistributionList',
  type: 'object',
  required: ['members'],
  properties: {
    members: {
      type: 'array',
      items: {
        type: 'object',
        required: ['userId'],
        properties: { userId: { type: 'string' }, active: { type: 'boolean' } },
      },
    },
  },
};
const listBody = {
  type: 'object',
  additionalProperties: false,
  required: ['members'],
  properties: { members: { type: 'array', maxItems: 500, uniqueItems: true, items: s.idParam } },
};

export function registerServiceReportListOperations(api: OperationRegistry, { db }: { db: Knex }): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/admin/service-report-lists/{id}',
      operationId: 'getServiceReportList',
      tag: 'admin',
      summary: 'Who an approved service report of this distribution list is mailed to',
      permission: 'admin',
      params: { id: s.idParam },
      responses: { 200: { description: 'the members (empty for an unknown list)', schema: listSchema } },
    },
    async ({ params }) => ({ status: 200, body: { members: await distributionList(db, params.id) } }),
  );
  api.add(
    {
      method: 'put',
      path: '/api/v1/admin/service-report-lists/{id}',
      operationId: 'putServiceReportList',
      tag: 'admin',
      summary: 'Replace the members of a service-report distribution list (user ids of the directory)',
      description:
        'Members who may not read every case a report counts are not mailed it; the case names them.',
      permission: 'admin',
      params: { id: s.idParam },
      body: listBody,
      responses: {
        200: { description: 'the list as stored', schema: listSchema },
        400: problem('a member is not a user of the directory'),
      },
    },
    async ({ params, body }) => {
      const members = (body as { members: string[] }).members;
      const unknown = [];
      for (const [i, id] of members.entries())
        if (!(await getUser(db, id))) unknown.push({ path: `/members/${i}`, message: `no user ${id}` });
      if (unknown.length) throw new ValidationError(unknown, 'unknown members');
      await setDistributionList(db, params.id, members);
      return { status: 200, body: { members: await distributionList(db, params.id) } };
    },
  );
}
