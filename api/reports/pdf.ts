/**
 * HTML to PDF with the headless Chromium the project already installs for its browser tests
 * (`scripts/tools/ensure-tools.mjs`, Debian's `chromium` plus `fonts-noto-cjk` for Chinese):
 * `chromium --headless --print-to-pdf`, one short-lived process per document, no extra npm
 * dependency. The page is self-contained (inline SVG charts, no network), so nothing is fetched.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export class PdfPrintError extends Error {
  override name = 'PdfPrintError';
}

export async function printPdf(html: string, chromiumPath: string, timeoutMs = 60_000): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'opsflow-report-'));
  try {
    const page = path.join(dir, 'report.html');
    const pdf = path.join(dir, 'report.pdf');
    await writeFile(page, html, 'utf8');
    await new Promise<void>((resolve, reject) => {
      execFile(
        chromiumPath,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${path.join(dir, 'profile')}`,
          '--no-pdf-header-footer',
          `--print-to-pdf=${pdf}`,
          pathToFileURL(page).toString(),
        ],
        { timeout: timeoutMs, killSignal: 'SIGKILL' },
        (err, _stdout, stderr) =>
          err
            ? reject(
                new PdfPrintError(
                  `chromium could not print the report: ${err.message} ${String(stderr).slice(-400)}`,
                ),
              )
            : resolve(),
      );
    });
    const bytes = await readFile(pdf).catch(() => null);
    if (!bytes || bytes.subarray(0, 5).toString() !== '%PDF-')
      throw new PdfPrintError('chromium wrote no PDF');
    return bytes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
