/** The pages of a satisfaction-survey link, in the head's locale: the survey form and the thank-you page. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Locale } from '../../db/directory';
import { projectRoot } from '../../runtime/project-root';

const QUESTIONS = ['overall', 'responsiveness', 'quality', 'communication'] as const;

const words: Record<
  Locale,
  { text: Record<string, string>; questions: Record<string, string>; scale: string[] }
> = {
  en: {
    text: {
      heading: 'How satisfied is your department with the vendor?',
      intro: 'Rate the vendor’s service in the period, from 1 (poor) to 5 (very good). It takes a minute.',
      case: 'Review',
      review: 'Title',
      step: 'Survey',
      due: 'Due',
      comment: 'Comment (optional)',
      submit: 'Send the survey',
      onlyOnce: 'This link works once. Your answer is recorded in the review as yours, by e-mail.',
      doneHeading: 'Thank you',
      done: 'Your answer is recorded in the vendor review.',
      invalid: 'Please rate every question from 1 to 5.',
      formExpired: 'This page was open too long. Please send it again.',
    },
    questions: {
      overall: 'Overall satisfaction',
      responsiveness: 'Responsiveness (how fast problems are taken up)',
      quality: 'Quality of the fixes and the service',
      communication: 'Communication and reporting',
    },
    scale: ['poor', 'fair', 'adequate', 'good', 'very good'],
  },
  'zh-CN': {
    text: {
      heading: '贵部门对服务商的服务是否满意？',
      intro: '请对本周期服务商的服务打分，1 分（差）至 5 分（很好），约需一分钟。',
      case: '评价单',
      review: '标题',
      step: '调查',
      due: '截止时间',
      comment: '意见（选填）',
      submit: '提交调查',
      onlyOnce: '此链接只能使用一次。您的答复将以“邮件”渠道、以您的名义记入评价单。',
      doneHeading: '感谢您的反馈',
      done: '您的答复已记入外包服务评价。',
      invalid: '请为每一项打 1 至 5 分。',
      formExpired: '页面打开时间过长，请重新提交。',
    },
    questions: {
      overall: '总体满意度',
      responsiveness: '响应及时性',
      quality: '问题处理与服务质量',
      communication: '沟通与报告',
    },
    scale: ['差', '较差', '一般', '好', '很好'],
  },
};

export const SURVEY_RATINGS = QUESTIONS;

export class SurveyPages {
  private readonly hbs = Handlebars.create();
  private readonly form: HandlebarsTemplateDelegate;
  private readonly thanks: HandlebarsTemplateDelegate;

  constructor(dir: string = path.join(projectRoot, 'templates', 'pages')) {
    const read = (name: string) => readFileSync(path.join(dir, `${name}.hbs`), 'utf8');
    this.hbs.registerPartial('layout', read('layout'));
    this.form = this.hbs.compile(read('survey'));
    this.thanks = this.hbs.compile(read('survey-done'));
  }

  survey(
    locale: Locale,
    input: {
      caseId: string;
      title: string;
      stepTitle: string;
      dueAt: string | null;
      token: string;
      formToken: string;
      action: string;
      comment?: string;
      again?: 'invalid' | 'form-expired';
    },
  ): string {
    const w = words[locale];
    return this.form({
      locale,
      heading: w.text.heading,
      text: w.text,
      questions: QUESTIONS.map((name) => ({ name, label: w.questions[name] })),
      scale: w.scale.map((label, i) => ({ value: i + 1, label })),
      ...input,
      error: input.again === 'invalid' ? w.text.invalid : input.again ? w.text.formExpired : undefined,
    });
  }

  done(locale: Locale, input: { caseId: string; step: string }): string {
    const w = words[locale];
    return this.thanks({ locale, heading: w.text.doneHeading, text: w.text, ...input });
  }
}
