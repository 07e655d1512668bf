/** The systems' configuration records as the release process keeps them: a version history per system. */
import type { Knex } from 'knex';
import { listSystemOpsOwners } from '../../db/handover';
import { listSystemVersions } from '../../db/release';
import type { OperationRegistry } from '../operations';
import * as s from '../schemas';

const versionSchema: s.Schema = {
  title: 'SystemVersion',
  type: 'object',
  additionalProperties: false,
  required: ['systemId', 'version', 'previousVersion', 'caseId', 'wentLiveAt', 'acceptedAt'],
  properties: {
    systemId: { type: 'string' },
    version: { type: 'string' },
    previousVersion: { type: ['string', 'null'] },
    /** The release case that put the version on the system. */
    caseId: { type: 'string' },
    wentLiveAt: { type: 'string', format: 'date-time' },
    acceptedAt: { type: 'string', format: 'date-time' },
  },
};

const opsOwnerSchema: s.Schema = {
  title: 'SystemOpsOwner',
  type: 'object',
  additionalProperties: false,
  required: ['systemId', 'departmentId', 'previousDepartmentId', 'since', 'caseId'],
  properties: {
    systemId: { type: 'string' },
    /** The unit that runs the system from `since`: a handover's receiving unit. */
    departmentId: { type: 'string' },
    previousDepartmentId: { type: ['string', 'null'] },
    since: { type: 'string', format: 'date' },
    /** The handover case that passed the system to it. */
    caseId: { type: 'string' },
  },
};

export function registerSystemOperations(api: OperationRegistry, deps: { db: Knex }): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/systems/{id}/versions',
      operationId: 'listSystemVersions',
      tag: 'systems',
      summary:
        "A system's version history (004 §7.6.1 d), newest first, written when a release goes into formal operation",
      permission: 'case:read',
      params: { id: s.idParam },
      responses: {
        200: {
          description: 'the versions',
          schema: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: versionSchema } },
          },
        },
      },
    },
    async ({ params }) => ({ status: 200, body: { items: await listSystemVersions(deps.db, params.id) } }),
  );

  api.add(
    {
      method: 'get',
      path: '/api/v1/systems/{id}/ops-owners',
      operationId: 'listSystemOpsOwners',
      tag: 'systems',
      summary:
        "A system's O&M owners (002 §6.6.3.5 e), newest first: the receiving unit of each completed handover, from its date",
      permission: 'case:read',
      params: { id: s.idParam },
      responses: {
        200: {
          description: 'the owners',
          schema: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: opsOwnerSchema } },
          },
        },
      },
    },
    async ({ params }) => ({ status: 200, body: { items: await listSystemOpsOwners(deps.db, params.id) } }),
  );
}
