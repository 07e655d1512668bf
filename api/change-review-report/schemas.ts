/** The change-review report's query as /openapi.json publishes it: the period, and how to answer. */
import { formatParams } from '../reports/format';
import { changeReviewQuery, type Schema } from '../schemas';
import { changeReviewTableNames } from './tables';

export const changeReviewReportQuery: Schema = {
  ...changeReviewQuery,
  properties: {
    ...(changeReviewQuery.properties as Record<string, Schema>),
    ...formatParams(changeReviewTableNames),
  },
};
