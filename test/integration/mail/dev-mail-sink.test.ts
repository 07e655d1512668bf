import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { startDevMailSink } from '../../../runtime/dev-mail-sink';

test('the dev mail sink keeps every message on disk and shows it, decoded, in a read-only mailbox', async () => {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'opsflow-mail-')), 'mail');
  const sink = await startDevMailSink({ dir });
  const transport = nodemailer.createTransport({ url: sink.smtpUrl });
  try {
    await transport.sendMail({
      from: 'Opsflow <opsflow@localhost>',
      to: 'wang@example.gov.cn',
      subject: '待您审批：CHG-2026-000001 <防火墙>',
      text: '同意：http://localhost:3000/links/approve?t=abc',
      html: '<p>同意 <a href="http://localhost:3000/links/approve?t=abc">同意</a></p>',
      messageId: '<0123456789abcdef0123456789abcdef@opsflow>',
    });
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]).toMatchObject({
      subject: '待您审批：CHG-2026-000001 <防火墙>',
      messageId: '<0123456789abcdef0123456789abcdef@opsflow>',
      envelopeTo: ['wang@example.gov.cn'],
    });
    expect(sink.messages[0].text).toContain('同意：http://localhost:3000/links/approve?t=abc');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(readFileSync(path.join(dir, files[0]), 'utf8')).toContain(
      'Message-ID: <0123456789abcdef0123456789abcdef@opsflow>',
    );

    const mailbox = await (await fetch(sink.mailboxUrl)).text();
    expect(mailbox).toContain('待您审批：CHG-2026-000001 &lt;防火墙&gt;');
    const message = await (await fetch(new URL('/1', sink.mailboxUrl))).text();
    expect(message).toContain('同意：http://localhost:3000/links/approve?t=abc');
    expect((await fetch(sink.mailboxUrl, { method: 'POST' })).status).toBe(405);
  } finally {
    transport.close();
    await sink.stop();
  }
});
