/**
 * The compiled entry points (`dist/`), as an operator runs them. Tests that spawn the API or the
 * worker as processes build them first; one build serves every such file of the run.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(__dirname, '..', '..');
export const compiled = (...p: string[]) => path.join(root, 'dist', ...p);

export function buildCompiled(): void {
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root, stdio: 'pipe' },
  );
}
