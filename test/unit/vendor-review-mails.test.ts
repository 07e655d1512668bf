/**
 * The survey mails carry the head's survey link in both languages; the reminder names the
 * department. The survey step's own assignment mail is the one mail that asks for the survey: it
 * carries the link too, and no other assignment mail does.
 */
import { carriesSurveyLink } from '../../api/links/survey-token';
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

describe("the survey step's assignment mail", () => {
  it('is the only assignment mail that carries a survey link', () => {
    const row = (process: string, step: string) => ({ template: 'task-assigned', data: { process, step } });
    expect(carriesSurveyLink(row('vendor-review', 'satisfactionSurvey'))).toBe(true);
    expect(carriesSurveyLink(row('vendor-review', 'satisfactionSurvey#3'))).toBe(true);
    expect(carriesSurveyLink(row('vendor-review', 'scoring'))).toBe(false);
    expect(carriesSurveyLink(row('change', 'satisfactionSurvey'))).toBe(false);
    expect(
      carriesSurveyLink({
        template: 'sla-overdue',
        data: { process: 'vendor-review', step: 'satisfactionSurvey' },
      }),
    ).toBe(false);
  });

  it.each([
    ['zh-CN', '填写调查', '填写对服务商服务的满意度调查'],
    ['en', 'Answer the survey', "Rate the vendor's service in the satisfaction survey"],
  ] as const)('in %s names the survey and carries its link', (locale, answer, stepName) => {
    const mail = renderer.render('task-assigned', {
      locale,
      timeZone: 'Asia/Shanghai',
      data: {
        ...data,
        process: 'vendor-review',
        processTitle: { en: 'Vendor review', 'zh-CN': '外包服务评价' },
        stepTitles: {
          en: "Rate the vendor's service in the satisfaction survey",
          'zh-CN': '填写对服务商服务的满意度调查',
        },
        stepTitle: 'Satisfaction survey: Pensions',
        dueAt: '2026-10-09T09:00:00.000Z',
      },
      recipient: { id: 'head-2', email: 'head-2@example.gov.cn' },
      links: { survey: link },
    });
    expect(mail.subject).toContain(stepName);
    expect(mail.text).toContain(`${answer}`);
    expect(mail.text).toContain(link);
    expect(mail.html).toContain('href="https://ops.example/links/survey?t&#x3D;s1.abc.def.ghi"');
  });

  it('without a link is the plain assignment mail', () => {
    const mail = renderer.render('task-assigned', {
      locale: 'en',
      timeZone: 'Asia/Shanghai',
      data: { ...data, process: 'change', stepTitle: 'O&M assesses the change' },
      recipient: { id: 'u-1', email: 'u-1@example.gov.cn' },
    });
    expect(mail.text).not.toContain('survey');
  });
});
