/**
 * The monthly service report as a periodic job (`runtime/schedules/service-report.ts`): on the
 * 1st of every month at 09:00 in Asia/Shanghai, last month's organisation-wide report is drafted
 * for the O&M head's approval and then mailed to the `monthly` distribution list. An admin may
 * pause it (`/api/v1/admin/schedules`) or change its row; a re-run migration leaves it as it is.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

export const serviceReportJob: NamedMigration = {
  name: '0111_service_report_job',
  async up(knex: Knex) {
    await knex('periodic_jobs')
      .insert({
        id: 'service-report-monthly',
        kind: 'service-report',
        title: '月度服务报告 Monthly service report',
        cron: '0 9 1 * *',
        time_zone: 'Asia/Shanghai',
        args: JSON.stringify({ distributionList: 'monthly' }),
      })
      .onConflict('id')
      .ignore();
  },
  async down(knex: Knex) {
    await knex('periodic_jobs').where({ id: 'service-report-monthly' }).delete();
  },
};
