/**
 * The shape that keeps processes readable and the kernel sound: no import cycle among kernel
 * and contract files, and process folders free of casts and hand-written journaling.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const workflows = path.resolve(__dirname, '../../workflows');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports of a file (type-only ones too: a cycle of types is still a cycle of meaning). */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)].map((m) => {
    const target = path.resolve(path.dirname(file), m[1]);
    return target.endsWith('.ts') ? target : `${target}.ts`;
  });
}

function findCycle(files: string[]): string[] | null {
  const inScope = new Set(files);
  const state = new Map<string, 'visiting' | 'done'>();
  const trail: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'visiting') return [...trail.slice(trail.indexOf(file)), file];
    state.set(file, 'visiting');
    trail.push(file);
    for (const next of importsOf(file).filter((f) => inScope.has(f))) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of files) {
    const cycle = visit(file);
    if (cycle) return cycle.map((f) => path.relative(workflows, f));
  }
  return null;
}

const processFolders = readdirSync(workflows).filter(
  (name) => statSync(path.join(workflows, name)).isDirectory() && !['kernel', 'contracts'].includes(name),
);

describe('workflow code structure', () => {
  it('has no import cycle among the kernel and contract files', () => {
    const files = [...tsFiles(path.join(workflows, 'kernel')), ...tsFiles(path.join(workflows, 'contracts'))];
    expect(files.length).toBeGreaterThan(10);
    expect(findCycle(files)).toBeNull();
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const a = path.join(workflows, 'kernel', 'case.ts');
    const b = path.join(workflows, 'kernel', 'case-handlers.ts');
    // case-handlers imports case (for its type); case must not import case-handlers back.
    expect(importsOf(b)).toContain(a);
    expect(importsOf(a)).not.toContain(b);
  });

  it.each(processFolders)('process folder %s has no casts and no hand-written journaling', (folder) => {
    const offending = tsFiles(path.join(workflows, folder)).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${path.relative(workflows, file)}:${i + 1}`, line }))
        .filter(({ line }) => /as unknown as|journaled\(/.test(line)),
    );
    expect(offending).toEqual([]);
  });
});
