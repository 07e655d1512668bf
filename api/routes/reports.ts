/** Reports over the read model: the figures of the periodic change review (001 §26). */
import type { Knex } from 'knex';
import { changeReviewFigures } from '../../db/change-review';
import { ValidationError } from '../errors';
import type { OperationRegistry } from '../operations';
import * as s from '../schemas';

const problem = (description: string) => ({ description, schema: s.problemSchema });

export function registerReportOperations(api: OperationRegistry, { db }: { db: Knex }): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/reports/change-review',
      operationId: 'changeReviewReport',
      tag: 'reports',
      summary: 'Figures of the periodic change review (001 §26) for changes closed in [from, to)',
      description:
        'By type, source, urgency and outcome; rollbacks with their causes; goals met; negative effects. ' +
        'Organisation-wide readers only for now (O&M, IT head, security, PMO, auditors, admins).',
      permission: 'report:organisation',
      query: s.changeReviewQuery,
      responses: {
        200: { description: 'the figures', schema: s.changeReviewSchema },
        400: problem('from / to missing or not instants, or from is not before to'),
        403: problem('not an organisation-wide reader'),
      },
    },
    async ({ query }) => {
      const { from, to } = query as { from: string; to: string };
      if (!(Date.parse(from) < Date.parse(to))) {
        throw new ValidationError([{ path: '/query/to', message: 'must be after from' }], 'empty period');
      }
      return { status: 200, body: await changeReviewFigures(db, { from, to }) };
    },
  );
}
