/**
 * Reading a report's PDF as a reader would see it, with poppler (installed by `npm test`'s tool
 * step, `scripts/tools/ensure-tools.mjs`): its text layer, and its first page as an image.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The text layer (`pdftotext -layout`). */
export function pdfText(pdf: string): string {
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
}

/** The first page as `<pdf>.page.png`, or in grey as `<pdf>.page.pgm` (`pdftoppm`); the file's path. */
export function firstPage(pdf: string, as: 'png' | 'pgm', resolution = 50): string {
  const out = `${pdf}.page`;
  execFileSync('pdftoppm', [
    as === 'png' ? '-png' : '-gray',
    '-r',
    String(resolution),
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    pdf,
    out,
  ]);
  return `${out}.${as}`;
}

/** The share of a grey page's pixels (a binary PGM) darker than light grey: 0 for a blank page. */
export function inkedShare(pgm: string): number {
  const bytes = readFileSync(pgm);
  const [, width, height] = /^P5\s+(\d+)\s+(\d+)\s+255\s/
    .exec(bytes.subarray(0, 40).toString('latin1'))!
    .map(Number);
  const pixels = bytes.subarray(bytes.length - width * height);
  return pixels.filter((v) => v < 160).length / pixels.length;
}
