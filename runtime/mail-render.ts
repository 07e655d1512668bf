/**
 * Renders an outbox row into an e-mail: `templates/mail/<template>.<locale>.txt.hbs` (whose first
 * line is `Subject: …`) and `…html.hbs` (wrapped in the `layout` partial). HTML is escaped by
 * handlebars; the text part and subject are not HTML and are rendered unescaped.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Locale } from '../db/directory';
import { projectRoot } from './project-root';

export const mailTemplatesDir = path.join(projectRoot, 'templates', 'mail');

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** A row that can never be rendered (no such template): retrying will not help. */
export class MailTemplateError extends Error {
  override name = 'MailTemplateError';
}

export interface MailContext {
  locale: Locale;
  timeZone: string;
  data: Record<string, unknown>;
  recipient: { id: string | null; email: string };
  /** For approval requests: one link per decision the recipient may take. */
  links?: { approve: string; reject: string };
}

export class MailRenderer {
  private readonly hbs = Handlebars.create();
  private readonly cache = new Map<
    string,
    { text: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate }
  >();

  constructor(private readonly dir: string = mailTemplatesDir) {
    this.hbs.registerPartial('layout', readFileSync(path.join(dir, 'partials', 'layout.html.hbs'), 'utf8'));
    this.hbs.registerHelper(
      'when',
      function (this: unknown, value: unknown, options: Handlebars.HelperOptions) {
        const root = options.data.root as { locale: Locale; timeZone: string };
        return formatInstant(value, root.locale, root.timeZone);
      },
    );
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  }

  render(template: string, ctx: MailContext): RenderedMail {
    const compiled = this.compiled(template, ctx.locale);
    const vars = {
      ...ctx.data,
      // Names in the recipient's language where the case sent both (older rows carry English only).
      processName: inLocale(ctx.data.processTitle, ctx.locale) ?? ctx.data.process,
      stepName: inLocale(ctx.data.stepTitles, ctx.locale) ?? ctx.data.stepTitle,
      locale: ctx.locale,
      timeZone: ctx.timeZone,
      recipient: ctx.recipient,
      links: ctx.links,
    };
    const text = compiled.text(vars);
    const match = /^Subject:[ \t]*(.*)\r?\n(?:\r?\n)?/.exec(text);
    if (!match)
      throw new MailTemplateError(`${template}.${ctx.locale}.txt.hbs must begin with a "Subject:" line`);
    return {
      subject: match[1].replace(/\s+/g, ' ').trim(),
      text: text.slice(match[0].length),
      html: compiled.html(vars),
    };
  }

  private compiled(template: string, locale: Locale) {
    if (!/^[a-z][a-z0-9-]*$/.test(template)) throw new MailTemplateError(`invalid template name ${template}`);
    const key = `${template}.${locale}`;
    let found = this.cache.get(key);
    if (!found) {
      const file = (kind: string) => path.join(this.dir, `${key}.${kind}.hbs`);
      if (!existsSync(file('txt')) || !existsSync(file('html'))) {
        throw new MailTemplateError(`no mail template ${key} in ${this.dir}`);
      }
      found = {
        text: this.hbs.compile(readFileSync(file('txt'), 'utf8'), { noEscape: true, strict: false }),
        html: this.hbs.compile(readFileSync(file('html'), 'utf8')),
      };
      this.cache.set(key, found);
    }
    return found;
  }
}

/** The wording for `locale` of a `{ en, 'zh-CN' }` pair; undefined when `value` is not one. */
export function inLocale(value: unknown, locale: Locale): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const wording = value as Record<string, unknown>;
  const text = wording[locale] ?? wording.en;
  return typeof text === 'string' ? text : undefined;
}

/** An ISO instant as people read it in the organisation's time zone: `2026-03-02 14:30 (Asia/Shanghai)`. */
export function formatInstant(value: unknown, locale: Locale, timeZone: string): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return value == null ? '' : String(value);
  const parts = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(value));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} (${timeZone})`;
}
