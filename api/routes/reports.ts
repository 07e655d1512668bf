/**
 * Reports over the read model: the figures of the periodic change review (001 §26), as JSON, HTML,
 * PDF or one table as CSV (`format=` or the Accept header), like the monthly service report.
 */
import type { Knex } from 'knex';
import { changeReviewFigures } from '../../db/change-review';
import type { Config } from '../../runtime/config';
import { changeReviewDocument } from '../change-review-report/html';
import { changeReviewReportQuery } from '../change-review-report/schemas';
import { ValidationError } from '../errors';
import type { OperationRegistry } from '../operations';
import { answerReport } from '../reports/answer';
import { reportMedia } from '../reports/format';
import * as s from '../schemas';

const problem = (description: string) => ({ description, schema: s.problemSchema });

export function registerReportOperations(
  api: OperationRegistry,
  { db, config }: { db: Knex; config: Config },
): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/reports/change-review',
      operationId: 'changeReviewReport',
      tag: 'reports',
      summary: 'Figures of the periodic change review (001 §26) for changes closed in [from, to)',
      description:
        'By type, source, urgency and outcome; rollbacks with their causes; goals met; negative effects. ' +
        'Organisation-wide readers only for now (O&M, IT head, security, PMO, auditors, admins). ' +
        'JSON, HTML (with charts), PDF, or one table as CSV (`format`, or the Accept header).',
      permission: 'report:organisation',
      query: changeReviewReportQuery,
      responses: {
        200: { description: 'the figures', schema: s.changeReviewSchema, media: reportMedia },
        400: problem('from / to missing or not instants, or from is not before to; csv without table'),
        403: problem('not an organisation-wide reader'),
      },
    },
    async ({ req, query, principal }) => {
      const { from, to } = query as { from: string; to: string };
      if (!(Date.parse(from) < Date.parse(to))) {
        throw new ValidationError([{ path: '/query/to', message: 'must be after from' }], 'empty period');
      }
      const figures = await changeReviewFigures(db, { from, to }, principal.user);
      return answerReport(req, query, changeReviewDocument, figures, { chromiumPath: config.chromiumPath });
    },
  );
}
