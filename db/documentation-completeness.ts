/**
 * The quarterly check of documentation completeness (001 §36(3)): for each case closed in the
 * quarter, which of the forms and attachments its process requires are missing from the case.
 * What each process requires is the table below — the parts of the 已投产系统变更流程单 (001 §7–§27),
 * the release documents (§28–§35) and the emergency reports (004 §8.1) — checked against what the
 * closed case holds in the read model (`cases.fields`). Cases that ended before the work began
 * (rejected, withdrawn, cancelled, not recommended) owe nothing.
 */
import type { Knex } from 'knex';

type Fields = Record<string, unknown>;

interface Required {
  document: string;
  /** Whether the case owes it (an emergency change owes its paperwork, a normal one its test report). */
  owed(fields: Fields): boolean;
}

const present = (fields: Fields, key: string) => {
  const value = fields[key];
  return (
    value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)
  );
};

const always = () => true;
const normalChange = (f: Fields) => f.urgency !== 'emergency' && !present(f, 'standardChange');
const emergencyChange = (f: Fields) => f.urgency === 'emergency';
const succeeded = (f: Fields) => f.goalMet === true;

/** Per process: the document (a field of the case) and when it is owed. */
const requirements: Record<string, Array<Required & { field: string }>> = {
  change: [
    { document: 'change form part 2: O&M assessment', field: 'assessment', owed: normalChange },
    { document: 'implementation and rollback plan', field: 'plan', owed: always },
    { document: 'signed test report', field: 'testReport', owed: normalChange },
    { document: 'security pre-go-live review', field: 'securityPreReview', owed: normalChange },
    { document: 'user test confirmation', field: 'userTestConfirmation', owed: normalChange },
    { document: 'scheduled window', field: 'window', owed: always },
    { document: 'implementation record', field: 'implementation', owed: always },
    {
      document: 'department head confirmation',
      field: 'confirmedBy',
      owed: (f) => normalChange(f) && succeeded(f),
    },
    { document: 'emergency authorisation record', field: 'authorisation', owed: emergencyChange },
    {
      document: 'emergency paperwork (form, test results, backups, joint review)',
      field: 'paperwork',
      owed: emergencyChange,
    },
  ],
  release: [
    { document: 'reviews (PMO, security, IT head)', field: 'reviews', owed: always },
    { document: 'release plan', field: 'plan', owed: always },
    {
      document: 'verification by the business department',
      field: 'verifications',
      owed: (f) => f.outcome !== 'rolled_back',
    },
    { document: 'acceptance', field: 'acceptances', owed: (f) => f.outcome === 'formal_operation' },
  ],
  emergency: [
    { document: 'failure recovery report', field: 'recoveryReport', owed: always },
    { document: 'summary report', field: 'summaryReport', owed: always },
  ],
};

/** Outcomes of a case that ended before its work began: nothing is owed. */
const ENDED_EARLY = new Set([
  'rejected',
  'withdrawn',
  'cancelled',
  'not_recommended',
  'too_large',
  'report_rejected',
]);

export interface CaseDocumentationGap {
  caseId: string;
  process: string;
  title: string;
  closedAt: string;
  missing: string[];
}

export interface DocumentationCompleteness {
  from: string;
  to: string;
  checked: number;
  complete: number;
  /** One entry per case with something missing, by case number. */
  incomplete: CaseDocumentationGap[];
}

/** Cases closed in [from, to) of the processes that owe documents, with what each lacks. */
export async function documentationCompleteness(
  db: Knex,
  period: { from: string; to: string },
): Promise<DocumentationCompleteness> {
  const rows: Array<{ case_id: string; process: string; title: string; closed_at: Date; fields: Fields }> =
    await db('cases')
      .whereIn('process', Object.keys(requirements))
      .where({ state: 'closed' })
      .where('closed_at', '>=', new Date(period.from))
      .where('closed_at', '<', new Date(period.to))
      .orderBy('case_id')
      .select('case_id', 'process', 'title', 'closed_at', 'fields');
  const owing = rows.filter((r) => !ENDED_EARLY.has(String(r.fields.outcome ?? '')));
  const incomplete = owing
    .map((r) => ({
      caseId: r.case_id,
      process: r.process,
      title: r.title,
      closedAt: r.closed_at.toISOString(),
      missing: requirements[r.process]
        .filter((req) => req.owed(r.fields) && !present(r.fields, req.field))
        .map((req) => req.document),
    }))
    .filter((gap) => gap.missing.length > 0);
  return {
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
    checked: owing.length,
    complete: owing.length - incomplete.length,
    incomplete,
  };
}
