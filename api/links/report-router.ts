/**
 * The link in a service report's distribution mail: `GET /links/service-report?t=…` shows the
 * archived report in the browser (`&format=pdf` prints it, `&format=csv&table=…` exports a
 * table). The token names the report and the recipient; the recipient must still be an active
 * user who may read every case the report counts, or the page says the report is not there.
 * Mounted after the approval-link router, whose `/links` headers (no-store, no-referrer, CSP)
 * and rate limit cover it too.
 */
import express, { type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { getUser } from '../../db/directory';
import { getServiceReportSnapshot, mayReadReport } from '../../db/service-report-snapshots';
import type { Config } from '../../runtime/config';
import type { Logger } from '../../runtime/logger';
import { renderReport } from '../reports/answer';
import { reportFormats, type ReportFormat } from '../reports/format';
import { serviceReportDocument } from '../service-report/html';
import { tableNames, type TableName } from '../service-report/tables';
import { ReportLinkError, verifyReportLink } from './report-token';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function problemPage(res: Response, status: number, code: string, heading: string): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(heading)}</title></head>` +
        `<body><h1 id="heading">${escape(heading)}</h1><p id="problem" data-code="${escape(code)}"></p></body></html>`,
    );
}

export function createReportLinkRouter(deps: { db: Knex; config: Config; log: Logger }): express.Router {
  const { db, config, log } = deps;
  const router = express.Router();
  router.get('/links/service-report', async (req: Request, res: Response) => {
    try {
      let claims;
      try {
        claims = verifyReportLink(config.mail.linkSecrets, req.query.t);
      } catch (err) {
        if (!(err instanceof ReportLinkError)) throw err;
        return err.problem === 'expired'
          ? problemPage(res, 410, 'expired', '链接已过期 The link has expired')
          : problemPage(res, 400, 'invalid', '链接无效 The link is not valid');
      }
      const format = (req.query.format ?? 'html') as ReportFormat;
      const table = req.query.table;
      if (
        !reportFormats.includes(format) ||
        format === 'json' ||
        (table !== undefined && !tableNames.includes(table as TableName))
      )
        return problemPage(res, 400, 'invalid', '链接无效 The link is not valid');
      const reader = await getUser(db, claims.readerId);
      const snapshot = await getServiceReportSnapshot(db, claims.caseId);
      if (!reader?.active || !snapshot || !(await mayReadReport(db, reader, snapshot.coveredCases)))
        return problemPage(res, 404, 'not-found', '报告不存在 No such report');
      const link = (extra: Record<string, string>) => {
        const params = new URLSearchParams({ t: String(req.query.t), ...extra });
        return `/links/service-report?${params.toString()}`;
      };
      const out = await renderReport(serviceReportDocument, snapshot.figures, format, {
        table,
        archive: { caseId: snapshot.caseId, frozenAt: snapshot.frozenAt },
        links: { pdf: link({ format: 'pdf' }), csv: (name) => link({ format: 'csv', table: name }) },
        chromiumPath: config.chromiumPath,
      });
      if (out.filename) res.setHeader('Content-Disposition', `inline; filename="${out.filename}"`);
      res.status(200).type(out.type).send(out.data);
    } catch (err) {
      log.error({ err }, 'service report link failed');
      problemPage(res, 500, 'failed', '报告暂时无法显示 The report cannot be shown now');
    }
  });
  return router;
}
