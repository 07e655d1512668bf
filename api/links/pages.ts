/**
 * The HTML pages of the e-mail approval links, rendered from `templates/pages/*.hbs` (escaped
 * by handlebars) in the approver's locale. The words live here, one table per locale; the
 * templates hold only the structure.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Locale } from '../../db/directory';
import { projectRoot } from '../../runtime/project-root';
import type { LinkDecision } from './token';

export type ProblemKind =
  | 'invalid'
  | 'expired'
  | 'used'
  | 'superseded'
  | 'not-eligible'
  | 'not-found'
  | 'unavailable'
  | 'rate-limited';

interface Words {
  decisions: Record<LinkDecision, { heading: string; confirm: string; done: string }>;
  labels: Record<string, string>;
  problems: Record<ProblemKind, { heading: string; message: string; hint?: string }>;
  formExpired: string;
  reasonRequired: string;
}

const words: Record<Locale, Words> = {
  en: {
    decisions: {
      approve: { heading: 'Approve this request?', confirm: 'Approve', done: 'You approved this step.' },
      reject: { heading: 'Reject this request?', confirm: 'Reject', done: 'You rejected this step.' },
    },
    labels: {
      intro: 'Check the case below, then confirm your decision. Nothing has been decided yet.',
      case: 'Case',
      title: 'Title',
      process: 'Process',
      requester: 'Requester',
      priority: 'Priority',
      system: 'System',
      step: 'Step',
      due: 'Due',
      decision: 'Your decision',
      commentOptional: 'Comment (optional)',
      commentRequired: 'Reason (required)',
      onlyOnce:
        'This link works once. Its decision is recorded in the case audit trail as made by you, by e-mail.',
      next: 'The case moves on by itself; you will be told by e-mail if anything more is needed from you.',
      doneHeading: 'Decision recorded',
    },
    problems: {
      invalid: {
        heading: 'This link is not valid',
        message: 'The link is damaged or was not issued by Opsflow. Nothing was changed.',
        hint: 'Open the link exactly as it appears in the e-mail, or decide in Opsflow itself.',
      },
      expired: {
        heading: 'This link has expired',
        message: 'Approval links are valid for a limited time. Nothing was changed.',
        hint: 'Decide in Opsflow itself, or ask for the request to be sent again.',
      },
      used: {
        heading: 'This link has already been used',
        message: 'The decision of this link has already been recorded. Nothing was changed.',
      },
      superseded: {
        heading: 'This step is no longer waiting for you',
        message:
          'The step has already been decided, or the case has moved on or closed. Nothing was changed.',
      },
      'not-eligible': {
        heading: 'You cannot take this decision',
        message: 'Opsflow refused the decision. Nothing was changed.',
      },
      'not-found': { heading: 'Case not found', message: 'There is no such case. Nothing was changed.' },
      unavailable: {
        heading: 'Please try again shortly',
        message: 'Opsflow could not be reached just now. Nothing was changed; the link still works.',
      },
      'rate-limited': {
        heading: 'Too many requests',
        message: 'Too many link requests came from your network. Wait a minute and try again.',
      },
    },
    formExpired: 'This page was open too long. Please confirm again.',
    reasonRequired: 'A rejection needs a reason. Please write it in the box below.',
  },
  'zh-CN': {
    decisions: {
      approve: { heading: '确认同意此申请？', confirm: '同意', done: '您已同意此环节。' },
      reject: { heading: '确认驳回此申请？', confirm: '驳回', done: '您已驳回此环节。' },
    },
    labels: {
      intro: '请核对以下工单信息后确认您的审批意见。目前尚未作出任何决定。',
      case: '工单',
      title: '标题',
      process: '流程',
      requester: '申请人',
      priority: '优先级',
      system: '系统',
      step: '环节',
      due: '截止时间',
      decision: '您的决定',
      commentOptional: '意见（选填）',
      commentRequired: '驳回理由（必填）',
      onlyOnce: '此链接只能使用一次。您的决定将以“邮件”渠道、以您的名义记入工单审计记录。',
      next: '工单将自动流转；如还需要您处理，系统会另行发邮件通知。',
      doneHeading: '审批已记录',
    },
    problems: {
      invalid: {
        heading: '链接无效',
        message: '该链接已损坏或并非由 Opsflow 签发，未作任何更改。',
        hint: '请按邮件中的原样打开链接，或直接在 Opsflow 中审批。',
      },
      expired: {
        heading: '链接已过期',
        message: '审批链接有有效期，未作任何更改。',
        hint: '请直接在 Opsflow 中审批，或请申请人重新发送。',
      },
      used: { heading: '链接已使用', message: '此链接对应的审批已记录，未作任何更改。' },
      superseded: {
        heading: '此环节已无需您审批',
        message: '该环节已有审批结果，或工单已进入下一阶段或已关闭，未作任何更改。',
      },
      'not-eligible': { heading: '您无法作出此审批', message: 'Opsflow 拒绝了此审批，未作任何更改。' },
      'not-found': { heading: '工单不存在', message: '找不到该工单，未作任何更改。' },
      unavailable: { heading: '请稍后重试', message: '暂时无法连接 Opsflow，未作任何更改，链接仍然有效。' },
      'rate-limited': { heading: '请求过于频繁', message: '来自您网络的链接请求过多，请一分钟后再试。' },
    },
    formExpired: '页面打开时间过长，请重新确认。',
    reasonRequired: '驳回需要填写理由，请在下方填写。',
  },
};

export interface CaseSummary {
  caseId: string;
  title: string;
  process: string;
  requester: string;
  priority: string;
  system: string | null;
  stepTitle: string;
  dueAt: string | null;
}

export class LinkPages {
  private readonly hbs = Handlebars.create();
  private readonly templates: Record<'confirm' | 'done' | 'problem', HandlebarsTemplateDelegate>;

  constructor(dir: string = path.join(projectRoot, 'templates', 'pages')) {
    const read = (name: string) => readFileSync(path.join(dir, `${name}.hbs`), 'utf8');
    this.hbs.registerPartial('layout', read('layout'));
    this.templates = {
      confirm: this.hbs.compile(read('confirm')),
      done: this.hbs.compile(read('done')),
      problem: this.hbs.compile(read('problem')),
    };
  }

  confirm(
    locale: Locale,
    input: {
      summary: CaseSummary;
      decision: LinkDecision;
      token: string;
      formToken: string;
      action: string;
      comment?: string;
      /** Why the form is shown again. */
      again?: 'form-expired' | 'reason-required';
    },
  ): string {
    const w = words[locale];
    return this.templates.confirm({
      locale,
      text: w.labels,
      heading: w.decisions[input.decision].heading,
      decisionLabel: w.decisions[input.decision].confirm,
      confirmLabel: w.decisions[input.decision].confirm,
      commentRequired: input.decision === 'reject',
      ...input,
      error:
        input.again === 'form-expired'
          ? w.formExpired
          : input.again === 'reason-required'
            ? w.reasonRequired
            : undefined,
    });
  }

  done(locale: Locale, input: { decision: LinkDecision; caseId: string; step: string }): string {
    const w = words[locale];
    return this.templates.done({
      locale,
      text: w.labels,
      heading: w.labels.doneHeading,
      message: w.decisions[input.decision].done,
      decisionLabel: w.decisions[input.decision].confirm,
      ...input,
    });
  }

  problem(locale: Locale, kind: ProblemKind, detail?: string): string {
    const p = words[locale].problems[kind];
    return this.templates.problem({
      locale,
      code: kind,
      heading: p.heading,
      message: detail ? `${p.message} (${detail})` : p.message,
      hint: p.hint,
    });
  }
}
