/** The survey mails carry the head's survey link in both languages; the reminder names the department. */
import { MailRenderer } from '../../runtime/mail-render';

const renderer = new MailRenderer();
const data = {
  caseId: 'VRV-2026-000007',
  title: 'Vendor review acme 2026-07-01 (quarterly)',
  vendorName: 'Acme <Services>',
  period: '2026-Q3',
  departmentName: 'Pensions',
  step: 'satisfactionSurvey#2',
};
const link = 'https://ops.example/links/survey?t=s1.abc.def.ghi';

describe.each(['vendor-survey-request', 'vendor-survey-reminder'])('%s', (template) => {
  it.each(['zh-CN', 'en'] as const)(
    'in %s carries the survey link and names vendor, period and department',
    (locale) => {
      const mail = renderer.render(template, {
        locale,
        timeZone: 'Asia/Shanghai',
        data,
        recipient: { id: 'head-2', email: 'head-2@example.gov.cn' },
        links: { survey: link },
      });
      expect(mail.subject).toContain('2026-Q3');
      expect(mail.text).toContain(link);
      expect(mail.text).toContain('Pensions');
      expect(mail.text).toContain('Acme <Services>');
      expect(mail.html).toContain('href="https://ops.example/links/survey?t&#x3D;s1.abc.def.ghi"');
      expect(mail.html).not.toContain('<Services>');
    },
  );
});
