/**
 * The dev SMTP sink: an `smtp-server` on a local port that accepts every message, keeps it in
 * memory and under `<dataDir>/mail/`, and serves a tiny read-only mailbox over HTTP so a person
 * can read dev mail (and click approval links) at `http://localhost:<port>/`. Never for production.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  id: number;
  receivedAt: Date;
  envelopeFrom: string | null;
  envelopeTo: string[];
  subject: string;
  messageId: string | null;
  text: string;
  html: string | null;
  raw: string;
}

export interface DevMailSink {
  smtpUrl: string;
  mailboxUrl: string;
  messages: ReceivedMail[];
  stop(): Promise<void>;
}

export async function startDevMailSink(options: {
  /** Where `.eml` files go; none are written when null. */
  dir: string | null;
  smtpPort?: number;
  httpPort?: number;
  host?: string;
}): Promise<DevMailSink> {
  const host = options.host ?? '127.0.0.1';
  const messages: ReceivedMail[] = [];
  if (options.dir) mkdirSync(options.dir, { recursive: true });

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'Opsflow dev mail sink',
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = parseMail(raw);
        const mail: ReceivedMail = {
          id: messages.length + 1,
          receivedAt: new Date(),
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          ...parsed,
          raw,
        };
        messages.push(mail);
        if (options.dir) {
          const stamp = mail.receivedAt.toISOString().replace(/[:.]/g, '-');
          writeFileSync(path.join(options.dir, `${stamp}-${mail.id}.eml`), raw);
        }
        callback();
      });
    },
  });
  const smtpPort = await listen(
    (port) => smtp.listen(port, host),
    () => smtp.server.address() as AddressInfo,
    options.smtpPort,
  );

  const web = http.createServer((req, res) => {
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const one = /^\/(\d+)$/.exec(url.pathname);
    const headers = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' };
    if (url.pathname === '/') {
      res.writeHead(200, headers).end(mailboxPage(messages));
    } else if (one && messages[Number(one[1]) - 1]) {
      res.writeHead(200, headers).end(messagePage(messages[Number(one[1]) - 1]));
    } else {
      res.writeHead(404, headers).end('<p>No such message. <a href="/">Mailbox</a></p>');
    }
  });
  const httpPort = await listen(
    (port) => web.listen(port, host),
    () => web.address() as AddressInfo,
    options.httpPort,
  );

  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    mailboxUrl: `http://localhost:${httpPort}/`,
    messages,
    stop: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      web.closeAllConnections();
      await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}

async function listen(
  start: (port: number) => unknown,
  address: () => AddressInfo,
  port = 0,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = start(port) as { once(event: string, fn: (...a: unknown[]) => void): void };
    server.once('error', reject);
    server.once('listening', () => resolve(address().port));
  });
}

// ------------------------------------------------------------------ reading what nodemailer sends

/** Subject, Message-ID and the text/html bodies of a MIME message (what nodemailer produces). */
export function parseMail(raw: string): Pick<ReceivedMail, 'subject' | 'messageId' | 'text' | 'html'> {
  const { headers, body } = splitHeaders(raw);
  const parts: Array<{ type: string; content: string }> = [];
  collectParts(headers, body, parts);
  return {
    subject: decodeWords(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? null,
    text: parts.find((p) => p.type === 'text/plain')?.content ?? '',
    html: parts.find((p) => p.type === 'text/html')?.content ?? null,
  };
}

function splitHeaders(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end < 0 ? raw : raw.slice(0, end);
  const body = end < 0 ? '' : raw.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function collectParts(
  headers: Map<string, string>,
  body: string,
  out: Array<{ type: string; content: string }>,
): void {
  const contentType = headers.get('content-type') ?? 'text/plain';
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary) return;
    for (const section of body.split(`--${boundary}`).slice(1)) {
      if (section.startsWith('--')) break;
      const part = splitHeaders(section.replace(/^\r?\n/, ''));
      collectParts(part.headers, part.body, out);
    }
    return;
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(body);
  else bytes = Buffer.from(body, 'utf8');
  out.push({ type, content: bytes.toString('utf8').replace(/\r\n/g, '\n') });
}

function decodeQuotedPrintable(text: string): Buffer {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), as nodemailer writes non-ASCII subjects. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
    );
}

// ------------------------------------------------------------------ the mailbox pages

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:24px;color:#1f2937}table{border-collapse:collapse}td,th{padding:4px 12px;border-bottom:1px solid #e5e7eb;text-align:left}pre{white-space:pre-wrap;background:#f9fafb;padding:12px}iframe{width:100%;height:480px;border:1px solid #e5e7eb}</style>
</head><body>${body}</body></html>`;
}

function mailboxPage(messages: ReceivedMail[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${m.receivedAt.toISOString()}</td><td>${escapeHtml(m.envelopeTo.join(', '))}</td>` +
        `<td><a href="/${m.id}">${escapeHtml(m.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('');
  return page(
    'Opsflow dev mailbox',
    `<h1>Opsflow dev mailbox</h1><p>${messages.length} message(s) since the sink started. Nothing here leaves this machine.</p>` +
      `<table><tr><th>Received</th><th>To</th><th>Subject</th></tr>${rows}</table>`,
  );
}

function messagePage(m: ReceivedMail): string {
  // The HTML part is shown sandboxed (no scripts); its links open in a new tab.
  const html = m.html
    ? `<h2>HTML</h2><iframe sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(
        m.html.replace('<head>', '<head><base target="_blank">'),
      )}"></iframe>`
    : '';
  return page(
    m.subject,
    `<p><a href="/">← Mailbox</a></p><h1>${escapeHtml(m.subject)}</h1>` +
      `<p>To: ${escapeHtml(m.envelopeTo.join(', '))}<br>Message-ID: ${escapeHtml(m.messageId ?? '')}</p>` +
      `${html}<h2>Text</h2><pre>${escapeHtml(m.text)}</pre>`,
  );
}
