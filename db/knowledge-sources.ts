/**
 * A knowledge proposal drafted from the case it was learnt from (004 §7.3.1 e: a solved problem
 * goes into the knowledge base), read from the case's read-model row (`cases.fields`):
 *
 * | case | may propose when | problem | symptoms | cause | solution |
 * | --- | --- | --- | --- | --- | --- |
 * | defect (`DEF-…`) | its cause and solution are written (resolved, verified or closed) | description | actual result, steps to reproduce | cause | solution |
 * | emergency (`EMG-…`) | closed | description | diagnosis | cause | recovery actions, summary handling |
 * | change (`CHG-…`) | rolled back | the change's content and the rollback | — | rollback cause | rollback steps of the plan |
 *
 * Each field is looked up under the names the process uses (a defect's cause and solution also
 * under `resolution.*`); whatever the proposal body says overrides the draft.
 */
import type { CaseProjection } from '../workflows/contracts/case-records';
import type { KnowledgeContent, KnowledgeOrigin } from './knowledge';

export type SourceDraft =
  | { usable: true; origin: KnowledgeOrigin; draft: Partial<KnowledgeContent> }
  | { usable: false; reason: string };

type Fields = Record<string, unknown>;

/** The first non-empty text among the paths (`a.b` reads nested fields). */
function text(fields: Fields, ...paths: string[]): string {
  for (const path of paths) {
    let value: unknown = fields;
    for (const key of path.split('.')) value = (value as Fields | null)?.[key] ?? null;
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (Array.isArray(value) && value.length) {
      const lines = value
        .map((v) =>
          typeof v === 'string' ? v : typeof v === 'object' && v ? Object.values(v as Fields).join(' ') : '',
        )
        .filter(Boolean);
      if (lines.length) return lines.join('\n');
    }
  }
  return '';
}

const join = (...parts: string[]) => parts.filter(Boolean).join('\n');

function systemsOf(c: CaseProjection, fields: Fields): string[] {
  const listed = ['affectedSystems', 'systems'].flatMap((k) =>
    Array.isArray(fields[k])
      ? (fields[k] as unknown[]).filter((s): s is string => typeof s === 'string')
      : [],
  );
  return [...new Set([...(c.system ? [c.system] : []), ...listed])];
}

export function draftFromCase(c: CaseProjection): SourceDraft {
  const f = (c.fields ?? {}) as Fields;
  const base = { title: c.title, systems: systemsOf(c, f), sourceCases: [c.caseId] };
  if (c.process === 'defect') {
    const cause = text(f, 'resolution.cause', 'cause', 'causeAnalysis');
    const solution = text(f, 'resolution.solution', 'solution');
    if (!cause || !solution)
      return {
        usable: false,
        reason: 'the defect is not resolved yet: its cause and solution are not written',
      };
    return {
      usable: true,
      origin: 'defect',
      draft: {
        ...base,
        problem: text(f, 'description', 'actual', 'actualResult', 'title') || c.title,
        symptoms: join(text(f, 'actual', 'actualResult', 'symptoms'), text(f, 'steps', 'stepsToReproduce')),
        cause,
        solution,
        tags: ['defect'],
      },
    };
  }
  if (c.process === 'emergency') {
    if (c.state !== 'closed') return { usable: false, reason: 'the emergency event is not closed yet' };
    return {
      usable: true,
      origin: 'emergency',
      draft: {
        ...base,
        problem: text(f, 'description') || c.title,
        symptoms: text(f, 'diagnosis', 'recoveryReport.summary'),
        cause: text(f, 'cause', 'summaryReport.cause'),
        solution:
          join(text(f, 'recovery.actions'), text(f, 'summaryReport.handling')) || text(f, 'recovery.result'),
        tags: ['emergency'],
      },
    };
  }
  if (c.process === 'change') {
    const cause = text(f, 'rollbackCause');
    if (!cause) return { usable: false, reason: 'the change was not rolled back: it has no rollback cause' };
    return {
      usable: true,
      origin: 'change',
      draft: {
        ...base,
        problem: join(text(f, 'content', 'description'), `Rolled back: ${cause}`),
        symptoms: text(f, 'implementation.notes'),
        cause,
        solution: text(f, 'plan.rollbackSteps', 'rollbackSteps'),
        tags: ['change', 'rollback'],
      },
    };
  }
  return { usable: false, reason: `a ${c.process} case cannot propose a knowledge entry` };
}
