/** A real SMTP server for the mail tests: records what it accepts, refuses on demand. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail, type ReceivedMail } from '../../../runtime/dev-mail-sink';

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** Each call answers one DATA command: a code to refuse it with, or null to accept. */
  refuse: (() => { code: number; message: string } | null) | null;
  stop(): Promise<void>;
}

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const state: TestSmtpServer = { url: '', received: [], refuse: null, stop: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refusal = state.refuse?.() ?? null;
        if (refusal) {
          const err = new Error(refusal.message) as Error & { responseCode: number };
          err.responseCode = refusal.code;
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        state.received.push({
          id: state.received.length + 1,
          receivedAt: new Date(),
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          ...parseMail(raw),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  state.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  state.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

export function headerOf(mail: ReceivedMail, name: string): string | null {
  const match = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(mail.raw.split(/\r?\n\r?\n/)[0]);
  return match ? match[1].trim() : null;
}
