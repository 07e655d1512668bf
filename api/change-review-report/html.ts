/**
 * The periodic change review as a document (`api/reports/answer.ts` renders it as HTML, PDF or
 * CSV): its page `templates/reports/change-review.hbs` with the charts inline and every table.
 */
import type { ChangeReviewFigures } from '../../db/change-review';
import { pageDocument } from '../reports/html';
import { changeReviewCharts } from './charts';
import { changeReviewTables } from './tables';

export const changeReviewDocument = pageDocument<ChangeReviewFigures>('change-review', {
  fileName: (f) => `change-review-${f.from.slice(0, 10)}-${f.to.slice(0, 10)}`,
  tables: changeReviewTables,
  charts: changeReviewCharts,
});
