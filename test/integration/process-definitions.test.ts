/**
 * Every name a process definition relies on exists: its mail templates in both languages, an
 * SLA policy for each SLA stage its steps run on, and its workflow among the worker's exports.
 * Read from the definitions and the process folders' own source, never from a list kept here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '../../db/connection';
import { findSlaPolicy } from '../../db/sla-policies';
import * as worker from '../../workflows';
import { kernelTemplates, slaStagesOf } from '../../workflows/contracts/process-definition';
import { definitions } from '../../workflows/registry';

const root = path.resolve(__dirname, '../..');
const db = createDb(process.env.DATABASE_URL as string);
afterAll(() => db.destroy());

/** The TypeScript source of a folder under workflows/, every file. */
function sourceOf(folder: string): string {
  const dir = path.join(root, 'workflows', folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

const literals = (source: string, pattern: RegExp) => [...source.matchAll(pattern)].map((m) => m[1]);

describe.each(definitions.map((d) => [d.name, d] as const))('process %s', (_, definition) => {
  const folder = definition.name;
  const source = sourceOf(folder);

  it('lives in its own folder with a definition and a workflow', () => {
    expect(existsSync(path.join(root, 'workflows', folder, 'definition.ts'))).toBe(true);
    expect(existsSync(path.join(root, 'workflows', folder, 'workflow.ts'))).toBe(true);
  });

  it('has every mail template it can emit in zh-CN and en, as text and HTML', () => {
    const emitted = literals(source, /template:\s*'([a-z0-9-]+)'/g);
    expect(definition.templates).toEqual(expect.arrayContaining(emitted));
    const missing = [...kernelTemplates, ...definition.templates].flatMap((t) =>
      ['zh-CN', 'en'].flatMap((locale) =>
        ['txt', 'html']
          .map((kind) => `${t}.${locale}.${kind}.hbs`)
          .filter((file) => !existsSync(path.join(root, 'templates', 'mail', file))),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('declares every stage its procedure enters', () => {
    const entered = literals(source, /enterStage\('([A-Za-z]+)'\)/g);
    expect(entered.length).toBeGreaterThan(0);
    expect(Object.keys(definition.stages)).toEqual(expect.arrayContaining(entered));
  });

  it('resolves every SLA stage it runs on to a policy, its own or the default', async () => {
    for (const stage of slaStagesOf(definition)) {
      const policy = await findSlaPolicy(db, { process: definition.name, stage, priority: 'normal' });
      expect({ stage, resolved: policy !== null }).toEqual({ stage, resolved: true });
    }
  });

  it('is registered with the worker under its workflow type', () => {
    expect(typeof (worker as Record<string, unknown>)[definition.workflowType]).toBe('function');
  });
});

describe('the registry', () => {
  it('has a definition for every workflow the worker runs, and unique names and prefixes', () => {
    const types = definitions.map((d) => d.workflowType);
    expect(Object.keys(worker).sort()).toEqual([...types].sort());
    expect(new Set(definitions.map((d) => d.name)).size).toBe(definitions.length);
    expect(new Set(definitions.map((d) => d.casePrefix)).size).toBe(definitions.length);
  });
});
