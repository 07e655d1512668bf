import { MailRenderer } from '../../runtime/mail-render';
import { kernelTemplates } from '../../workflows/contracts/process-definition';
import { definitions } from '../../workflows/registry';

const renderer = new MailRenderer();
const data = {
  caseId: 'CHG-2026-000123',
  title: 'Firewall change <core>',
  process: 'change',
  step: 'cabApproval',
  stepTitle: 'CAB approval',
  dueAt: '2026-03-02T08:00:00Z',
  scheduledAt: '2026-03-02T06:00:00Z',
  level: 2,
  reassignedTo: 'role:ops_head',
  outcome: 'approved',
  comment: 'ok',
  missing: ['rollback plan'],
  windowStart: '2026-03-06T14:00:00Z',
  windowEnd: '2026-03-06T16:00:00Z',
  window: { windowStart: '2026-03-06T14:00:00Z', windowEnd: '2026-03-06T16:00:00Z' },
  clashes: [
    {
      caseId: 'CHG-2026-000099',
      title: 'Patch <db>',
      affectedSystems: ['si-core', 'si-db'],
      windowStart: '2026-03-06T15:00:00Z',
      windowEnd: '2026-03-06T17:00:00Z',
    },
  ],
  departments: ['benefits', 'finance'],
  scope: 'benefit payments offline for 30 minutes',
};
// Every template a process or the kernel can emit, read from the definitions, not listed here.
const templates = [...new Set([...kernelTemplates, ...definitions.flatMap((d) => d.templates)])];

describe('mail templates', () => {
  it.each(templates.flatMap((t) => [[t, 'zh-CN'] as const, [t, 'en'] as const]))(
    '%s renders in %s with a subject, a text part and an escaped HTML part',
    (template, locale) => {
      const mail = renderer.render(template, {
        locale,
        timeZone: 'Asia/Shanghai',
        data,
        recipient: { id: 'u-1', email: 'u-1@example.gov.cn' },
        links: { approve: 'https://x/links/approve?t=A', reject: 'https://x/links/approve?t=R' },
      });
      expect(mail.subject).toContain('CHG-2026-000123');
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.text).not.toContain('{{');
      expect(mail.html).toContain(`<html lang="${locale}">`);
      expect(mail.html).not.toContain('<core>');
      if (mail.text.includes('CHG-2026-000123') && mail.text.includes('Firewall')) {
        expect(mail.text).toContain('Firewall change <core>'); // plain text is not HTML-escaped
      }
    },
  );

  it('an approval request names the due time in the organisation’s zone and carries both links', () => {
    const mail = renderer.render('approval-request', {
      locale: 'en',
      timeZone: 'Asia/Shanghai',
      data,
      recipient: { id: 'u-1', email: 'u-1@example.gov.cn' },
      links: { approve: 'https://x/links/approve?t=A', reject: 'https://x/links/approve?t=R' },
    });
    expect(mail.text).toContain('due 2026-03-02 16:00 (Asia/Shanghai)');
    expect(mail.text).toContain('Approve: https://x/links/approve?t=A');
    // Handlebars writes `=` as the entity `&#x3D;` inside the attribute; a mail client reads it back as `=`.
    expect(mail.html).toContain('href="https://x/links/approve?t&#x3D;R"');
  });

  it('a zh-CN mail names the process and the step in Chinese (issue 9.11)', () => {
    const mail = renderer.render('task-assigned', {
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      data: {
        ...data,
        step: 'scheduling',
        stepTitle: 'O&M schedules the change window',
        stepTitles: { en: 'O&M schedules the change window', 'zh-CN': '运维部门安排变更窗口' },
        processTitle: { en: 'Change', 'zh-CN': '变更' },
      },
      recipient: { id: 'u-1', email: 'u-1@example.gov.cn' },
    });
    expect(mail.text).toContain('运维部门安排变更窗口');
    expect(mail.text).toContain('（变更）');
    expect(mail.text).not.toContain('O&M schedules');
  });

  it('a change closed as not recommended or too large tells the reason, and for too large the next step (issue 9.4)', () => {
    const render = (locale: 'en' | 'zh-CN', extra: Record<string, unknown>) =>
      renderer.render('case-closed', {
        locale,
        timeZone: 'Asia/Shanghai',
        data: { ...data, ...extra },
        recipient: { id: 'u-1', email: 'u-1@example.gov.cn' },
      }).text;
    const notRecommended = render('en', { outcome: 'not_recommended', reason: 'A report covers the need' });
    expect(notRecommended).toContain('Reason: A report covers the need');
    expect(notRecommended).not.toContain('Next step');
    const tooLarge = render('en', {
      outcome: 'too_large',
      reason: 'A new system',
      next: 'project',
      effortHours: 2400,
    });
    expect(tooLarge).toContain('Reason: A new system');
    expect(tooLarge).toContain('Next step: the change is too large');
    expect(tooLarge).toContain('2400 hours');
    expect(render('zh-CN', { outcome: 'too_large', reason: '新系统', next: 'project' })).toContain(
      '下一步：',
    );
  });
});
