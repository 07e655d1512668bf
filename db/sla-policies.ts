/**
 * Service-level policies as master data. A step asks for (process, stage, priority) and gets the
 * most specific active policy: an exact process beats '*', then an exact stage, then an exact
 * priority — so a policy for the defect process outranks the global catch-all whatever its
 * stage and priority say.
 */
import type { Knex } from 'knex';
import type {
  EscalationLevel,
  ResolveSlaPolicyInput,
  SlaBasis,
  SlaPolicy,
} from '../workflows/contracts/case-records';
import { isWorkingBasis } from '../workflows/contracts/working-time';
import { loadCalendar } from './calendars';

/** A policy as an admin edits it; '*' in process, stage or priority matches any value. */
export interface SlaPolicyDefinition {
  id: string;
  process: string;
  stage: string;
  priority: string;
  basis: SlaBasis;
  duration: string;
  warnRatio: number | null;
  /** Required on a working basis. */
  calendarId: string | null;
  escalation: EscalationLevel[];
  active: boolean;
}

interface SlaPolicyRow {
  id: string;
  process: string;
  stage: string;
  priority: string;
  basis: SlaBasis;
  duration: string;
  warn_ratio: string | null;
  calendar_id: string | null;
  escalation: EscalationLevel[];
  active: boolean;
}

export const ANY = '*';

/**
 * The policy that applies, as the workflow keeps it: the matched row's own process, stage and
 * priority ('*' where it is a wildcard), and its calendar when it counts working time.
 */
export async function findSlaPolicy(db: Knex, target: ResolveSlaPolicyInput): Promise<SlaPolicy | null> {
  const row = await db<SlaPolicyRow>('sla_policies')
    .where({ active: true })
    .whereIn('process', [target.process, ANY])
    .whereIn('stage', [target.stage, ANY])
    .whereIn('priority', [target.priority, ANY])
    // false sorts before true: exact values first, in order of precedence.
    .orderByRaw(`(process = '*'), (stage = '*'), (priority = '*')`)
    .first();
  if (!row) return null;

  const policy: SlaPolicy = {
    policyId: row.id,
    process: row.process,
    stage: row.stage,
    priority: row.priority,
    basis: row.basis,
    duration: row.duration,
    warnRatio: row.warn_ratio === null ? null : Number(row.warn_ratio),
    escalation: row.escalation,
  };
  if (isWorkingBasis(row.basis)) {
    const calendar = row.calendar_id === null ? null : await loadCalendar(db, row.calendar_id);
    if (!calendar) throw new Error(`SLA policy ${row.id} counts working time but has no calendar`);
    policy.calendar = calendar;
  }
  return policy;
}

/** The other policy that already holds this process, stage and priority, if any. */
export async function findClashingSlaPolicy(
  db: Knex,
  policy: Pick<SlaPolicyDefinition, 'id' | 'process' | 'stage' | 'priority'>,
): Promise<string | null> {
  const row = await db<SlaPolicyRow>('sla_policies')
    .where({ process: policy.process, stage: policy.stage, priority: policy.priority })
    .whereNot({ id: policy.id })
    .first('id');
  return row?.id ?? null;
}

export async function upsertSlaPolicy(db: Knex, policy: SlaPolicyDefinition): Promise<void> {
  assertValid(policy);
  await db('sla_policies')
    .insert({
      id: policy.id,
      process: policy.process,
      stage: policy.stage,
      priority: policy.priority,
      basis: policy.basis,
      duration: policy.duration,
      warn_ratio: policy.warnRatio,
      calendar_id: policy.calendarId,
      escalation: JSON.stringify(policy.escalation),
      active: policy.active,
      updated_at: db.fn.now(),
    })
    .onConflict('id')
    .merge();
}

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** Checks the database cannot make inside the escalation ladder, with messages an admin can act on. */
function assertValid(policy: SlaPolicyDefinition): void {
  const fail = (why: string) => {
    throw new RangeError(`SLA policy ${policy.id}: ${why}`);
  };
  if (!ISO_DURATION.test(policy.duration)) fail(`duration "${policy.duration}" is not an ISO-8601 duration`);
  if (isWorkingBasis(policy.basis) && !policy.calendarId) fail('a working-time policy needs a calendar');
  if (policy.warnRatio !== null && !(policy.warnRatio > 0 && policy.warnRatio < 1)) {
    fail('the warning point is a fraction between 0 and 1');
  }
  policy.escalation.forEach((level, index) => {
    if (level.level !== index + 1) fail(`escalation levels are numbered 1, 2, 3… (found ${level.level})`);
    if (!ISO_DURATION.test(level.after))
      fail(`escalation level ${level.level}: "${level.after}" is not a duration`);
    if (level.notify.length === 0 && !level.reassignTo) fail(`escalation level ${level.level} does nothing`);
  });
}
