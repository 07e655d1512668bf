import {
  markFired,
  nextMilestone,
  pause,
  planSla,
  replan,
  resume,
  type SlaMilestone,
  type SlaState,
} from '../../workflows/kernel/sla';
import type { SlaPolicy } from '../../workflows/contracts/case-records';
import type { WorkingCalendar } from '../../workflows/contracts/working-calendar';
import { isWorkingInstant } from '../../workflows/contracts/working-time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ZONE = 'Asia/Shanghai';

/** An instant written with its UTC offset, e.g. at('2027-06-04T16:00+08:00'). */
const at = (text: string): number => {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${text}`);
  return ms;
};
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const elapsedPolicy = (overrides: Partial<SlaPolicy> = {}): SlaPolicy => ({
  policyId: 'test-change-normal',
  process: 'change',
  stage: 'cabApproval',
  priority: 'normal',
  basis: 'elapsed',
  duration: 'PT4H',
  warnRatio: 0.75,
  escalation: [
    { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] },
    { level: 2, after: 'PT2H', notify: [{ role: 'it_director' }] },
  ],
  ...overrides,
});

// 2027-06-14 (Monday) is a holiday; 2027-09-26 (Sunday) a make-up working day.
const shanghai: WorkingCalendar = {
  id: 'test-shanghai',
  name: 'Test calendar, Shanghai office hours',
  timeZone: ZONE,
  workingHours: [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '17:30' },
  ],
  weekendDays: [6, 7],
  holidays: ['2027-06-14'],
  makeUpWorkdays: ['2027-09-26'],
};

const workingPolicy = (overrides: Partial<SlaPolicy> = {}): SlaPolicy =>
  elapsedPolicy({
    policyId: 'test-defect-p2',
    basis: 'working',
    duration: 'P1D',
    calendar: shanghai,
    ...overrides,
  });

/** Every milestone in the order the clock would fire them, marking each fired as it goes. */
function fireAll(s: SlaState): SlaMilestone[] {
  const fired: SlaMilestone[] = [];
  for (let m = nextMilestone(s); m !== null; m = nextMilestone(s)) {
    fired.push(m);
    markFired(s, m);
    if (fired.length > 10) throw new Error('the clock keeps firing');
  }
  return fired;
}

/** Inside a working period, or exactly at the end of one (where time that ran out there is due). */
const inWorkingTime = (ms: number): boolean =>
  isWorkingInstant(ms, shanghai) || isWorkingInstant(ms - 1, shanghai);

const plannedTimes = (s: SlaState): number[] => [
  ...(s.warnAt === null ? [] : [s.warnAt]),
  s.dueAt,
  ...s.levelAt,
];

describe('an elapsed SLA clock (PT4H, warning at 75 %, ladder PT0S then PT2H)', () => {
  const start = at('2027-06-08T09:00+08:00');

  test('warning at +3h, overdue at +4h, level 1 at +4h and level 2 at +6h', () => {
    const s = planSla(elapsedPolicy(), start, ZONE);
    expect(s.warnAt).toBe(start + 3 * HOUR);
    expect(s.dueAt).toBe(start + 4 * HOUR);
    expect(s.levelAt).toEqual([start + 4 * HOUR, start + 6 * HOUR]);
  });

  test('milestones come in the order warning, overdue, level 1, level 2, each exactly once', () => {
    const s = planSla(elapsedPolicy(), start, ZONE);
    expect(fireAll(s)).toEqual([
      { kind: 'warning', at: start + 3 * HOUR },
      { kind: 'overdue', at: start + 4 * HOUR },
      { kind: 'escalation', level: 1, at: start + 4 * HOUR },
      { kind: 'escalation', level: 2, at: start + 6 * HOUR },
    ]);
    expect(nextMilestone(s)).toBeNull();
  });

  test('a paused clock has no next milestone', () => {
    const s = planSla(elapsedPolicy(), start, ZONE);
    pause(s, start + HOUR);
    expect(nextMilestone(s)).toBeNull();
  });

  test('pausing at +1h and resuming at +3h moves every unfired milestone by 2h', () => {
    const s = planSla(elapsedPolicy(), start, ZONE);
    pause(s, start + HOUR);
    resume(s, start + 3 * HOUR);
    expect(s.warnAt).toBe(start + 5 * HOUR);
    expect(s.dueAt).toBe(start + 6 * HOUR);
    expect(s.levelAt).toEqual([start + 6 * HOUR, start + 8 * HOUR]);
  });

  test('a pause leaves milestones already fired where they were', () => {
    const s = planSla(elapsedPolicy(), start, ZONE);
    markFired(s, nextMilestone(s)!);
    pause(s, start + 3.5 * HOUR);
    resume(s, start + 4.5 * HOUR);
    expect(s.warnAt).toBe(start + 3 * HOUR);
    expect(s.dueAt).toBe(start + 5 * HOUR);
    expect(nextMilestone(s)).toEqual({ kind: 'overdue', at: start + 5 * HOUR });
  });

  test('a warnRatio of null plans no warning milestone', () => {
    const s = planSla(elapsedPolicy({ warnRatio: null }), start, ZONE);
    expect(s.warnAt).toBeNull();
    expect(fireAll(s).map((m) => m.kind)).toEqual(['overdue', 'escalation', 'escalation']);
  });

  test('a re-plan to a shorter duration keeps consumed time consumed: PT8H to PT4H after 1h is due in 3h', () => {
    const s = planSla(elapsedPolicy({ duration: 'PT8H' }), start, ZONE);
    const now = start + HOUR;
    replan(s, elapsedPolicy({ duration: 'PT4H' }), now);
    expect(s.dueAt).toBe(now + 3 * HOUR);
    expect(s.warnAt).toBe(now + 2 * HOUR);
    expect(s.levelAt).toEqual([now + 3 * HOUR, now + 5 * HOUR]);
  });

  test('a re-plan does not count time spent paused as consumed', () => {
    const s = planSla(elapsedPolicy({ duration: 'PT8H' }), start, ZONE);
    pause(s, start + HOUR);
    resume(s, start + 3 * HOUR);
    const now = start + 4 * HOUR;
    replan(s, elapsedPolicy({ duration: 'PT4H' }), now);
    expect(s.dueAt).toBe(now + 2 * HOUR);
  });
});

describe('a working-time SLA clock (Asia/Shanghai, 09:00–12:00 and 13:30–17:30, P1D = 7 working hours)', () => {
  test('started Friday 16:00, P1D skips the weekend and is due Monday 16:00', () => {
    const s = planSla(workingPolicy(), at('2027-06-04T16:00+08:00'), ZONE);
    expect(iso(s.dueAt)).toBe(iso(at('2027-06-07T16:00+08:00')));
  });

  test('started Friday 16:00 before a holiday Monday, P1D is due Tuesday 16:00', () => {
    const s = planSla(workingPolicy(), at('2027-06-11T16:00+08:00'), ZONE);
    expect(iso(s.dueAt)).toBe(iso(at('2027-06-15T16:00+08:00')));
  });

  test('started Friday 16:00 before a make-up Sunday, P1D is due on that Sunday at 16:00', () => {
    const s = planSla(workingPolicy(), at('2027-09-24T16:00+08:00'), ZONE);
    expect(iso(s.dueAt)).toBe(iso(at('2027-09-26T16:00+08:00')));
  });

  test('no planned milestone lies in non-working time', () => {
    for (const start of ['2027-06-04T16:00+08:00', '2027-06-11T16:00+08:00', '2027-09-24T16:00+08:00']) {
      const s = planSla(workingPolicy(), at(start), ZONE);
      for (const t of plannedTimes(s))
        expect({ start, t: iso(t), working: inWorkingTime(t) }).toMatchObject({ working: true });
    }
  });

  test('the warning falls at 75 % of the working time: Friday 16:00 + 5h15m working is Monday 14:15', () => {
    const s = planSla(workingPolicy(), at('2027-06-04T16:00+08:00'), ZONE);
    expect(iso(s.warnAt)).toBe(iso(at('2027-06-07T14:15+08:00')));
  });

  test('a pause over the weekend outside working hours does not move the due time', () => {
    const s = planSla(workingPolicy(), at('2027-06-04T16:00+08:00'), ZONE);
    const before = plannedTimes(s);
    pause(s, at('2027-06-04T18:00+08:00'));
    resume(s, at('2027-06-07T08:30+08:00'));
    expect(plannedTimes(s).map(iso)).toEqual(before.map(iso));
  });

  test('a pause from Friday 17:00 to Monday 10:00 moves the due time by the 1.5 working hours paused', () => {
    const s = planSla(workingPolicy(), at('2027-06-04T16:00+08:00'), ZONE);
    pause(s, at('2027-06-04T17:00+08:00'));
    resume(s, at('2027-06-07T10:00+08:00'));
    expect(iso(s.dueAt)).toBe(iso(at('2027-06-07T17:30+08:00')));
    expect(iso(s.warnAt)).toBe(iso(at('2027-06-07T15:45+08:00')));
    for (const t of plannedTimes(s)) expect(inWorkingTime(t)).toBe(true);
  });

  test('level 1 "PT0S after" fires at the due time itself, even at the end of a working day', () => {
    // Started Friday 09:00, P1D is due Friday 17:30: level 1 then, level 2 two working hours later (Monday 11:00).
    const s = planSla(workingPolicy(), at('2027-06-04T09:00+08:00'), ZONE);
    expect(iso(s.dueAt)).toBe(iso(at('2027-06-04T17:30+08:00')));
    expect(s.levelAt.map(iso)).toEqual([at('2027-06-04T17:30+08:00'), at('2027-06-07T11:00+08:00')].map(iso));
  });

  test('a pause and resume within a weekend leaves an escalation due Monday 11:00 on Monday 11:00', () => {
    const s = planSla(workingPolicy(), at('2027-06-04T09:00+08:00'), ZONE);
    markFired(s, nextMilestone(s)!); // warning
    markFired(s, nextMilestone(s)!); // overdue
    markFired(s, nextMilestone(s)!); // level 1
    pause(s, at('2027-06-05T10:00+08:00'));
    resume(s, at('2027-06-06T10:00+08:00'));
    expect(nextMilestone(s)).toEqual({ kind: 'escalation', level: 2, at: at('2027-06-07T11:00+08:00') });
  });
});
