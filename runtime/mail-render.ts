/**
 * Renders an outbox row into an e-mail: `templates/mail/<template>.<locale>.txt.hbs` (whose first
 * line is `Subject: …`) and `…html.hbs` (wrapped in the `layout` partial). HTML is escaped by
 * handlebars; the text part and subject are not HTML and are rendered unescaped.
 *
 * The subject line is split off the template source before rendering and compiled on its own,
 * so case data can never change where the subject ends: a title with a carriage return or a
 * U+2028 once made the rendered text unparseable and every mail of that case undeliverable.
 * Whatever the data holds, header text comes out as one line without control characters.
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
  /** For approval requests: one link per decision the recipient may take; for surveys, the survey's link; for a distributed report, its link. */
  links?: { approve: string; reject: string } | { survey: string } | { report: string };
}

export class MailRenderer {
  private readonly hbs = Handlebars.create();
  private readonly cache = new Map<
    string,
    {
      subject: HandlebarsTemplateDelegate;
      text: HandlebarsTemplateDelegate;
      html: HandlebarsTemplateDelegate;
    }
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
    return {
      subject: headerText(compiled.subject(vars)),
      text: compiled.text(vars),
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
      const source = readFileSync(file('txt'), 'utf8');
      const match = /^Subject:[ \t]*([^\r\n]*)\r?\n(?:\r?\n)?/.exec(source);
      if (!match) throw new MailTemplateError(`${key}.txt.hbs must begin with a "Subject:" line`);
      const plain = { noEscape: true, strict: false };
      found = {
        subject: this.hbs.compile(match[1], plain),
        text: this.hbs.compile(source.slice(match[0].length), plain),
        html: this.hbs.compile(readFileSync(file('html'), 'utf8')),
      };
      this.cache.set(key, found);
    }
    return found;
  }
}

// C0/C1 controls, DEL and the Unicode line and paragraph separators: none belongs in a header.
// eslint-disable-next-line no-control-regex
const HEADER_BREAKERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Text made safe for a mail header: one line, no control characters, runs of space collapsed. */
export function headerText(value: string): string {
  return value.replace(HEADER_BREAKERS, ' ').replace(/\s+/g, ' ').trim();
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
