/** The checkout's root (where package.json is), from sources and from compiled `dist/` alike. */
import { existsSync } from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && !dir.split(path.sep).includes('dist')) return dir;
    if (dir === path.dirname(dir)) return process.cwd();
  }
}

export const projectRoot = findRoot(__dirname);
export const toolsDir = path.join(projectRoot, '.tools');
