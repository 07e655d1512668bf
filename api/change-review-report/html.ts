/**
 * The periodic change review as a document (`api/reports/answer.ts` renders it as HTML, PDF or
 * CSV): its page `templates/reports/change-review.hbs` with the charts inline and every table.
 */
import type { ChangeReviewFigures } from '../../db/change-review';
import type { ReportDocument } from '../reports/answer';
import { pageContext, reportTemplate } from '../reports/html';
import { changeReviewCharts } from './charts';
import { changeReviewTables } from './tables';

const template = reportTemplate('change-review');

export const changeReviewDocument: ReportDocument<ChangeReviewFigures> = {
  fileName: (f) => `change-review-${f.from.slice(0, 10)}-${f.to.slice(0, 10)}`,
  tables: changeReviewTables,
  html: (figures, options) =>
    template({
      ...figures,
      ...pageContext(changeReviewTables(figures), options),
      charts: changeReviewCharts(figures),
      archive: options.archive,
    }),
};
