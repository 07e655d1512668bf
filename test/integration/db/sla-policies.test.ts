import { randomUUID } from 'node:crypto';
import { createSlaPolicyActivities } from '../../../activities/sla-policies';
import { createDb } from '../../../db/connection';
import { findSlaPolicy, upsertSlaPolicy, type SlaPolicyDefinition } from '../../../db/sla-policies';

const db = createDb(process.env.DATABASE_URL as string);
// A process name of this file's own, so its policies meet no other file's.
const process_ = `test-${randomUUID().slice(0, 8)}`;

function policy(
  id: string,
  stage: string,
  priority: string,
  duration: string,
  forProcess = process_,
): SlaPolicyDefinition {
  return {
    id: `${process_}.${id}`,
    process: forProcess,
    stage,
    priority,
    basis: 'elapsed',
    duration,
    warnRatio: 0.75,
    calendarId: null,
    escalation: [{ level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] }],
    active: true,
  };
}

afterAll(async () => {
  await db('sla_policies').where('id', 'like', `${process_}.%`).delete();
  await db.destroy();
});

describe('SLA policies', () => {
  it('the seeded routine-defect policy is 2 working days on the default calendar', async () => {
    const found = await findSlaPolicy(db, { process: 'defect', stage: 'resolution', priority: 'routine' });

    expect(found).toMatchObject({
      policyId: 'defect.resolution.routine',
      basis: 'working-days',
      duration: 'P2D',
      warnRatio: 0.75,
      calendar: {
        id: 'default',
        timeZone: 'Asia/Shanghai',
        workingHours: [
          { start: '09:00', end: '12:00' },
          { start: '13:30', end: '17:30' },
        ],
        weekendDays: [6, 7],
      },
    });
    expect(found?.escalation.map((level) => level.level)).toEqual([1, 2]);
  });

  it.each([
    ['emergency', 'onsiteResponse', 'major', 'PT15M', 'elapsed'],
    ['emergency', 'onsiteArrival', 'major', 'PT4H', 'elapsed'],
    ['emergency', 'onsiteResolution', 'major', 'PT8H', 'elapsed'],
    ['emergency', 'remoteResponse', 'minor', 'PT2H', 'elapsed'],
    ['emergency', 'diagnosisReport', 'minor', 'PT4H', 'elapsed'],
    ['defect', 'resolution', 'corrective', 'P3D', 'working-days'],
    ['defect', 'resolution', 'perfective', 'P5D', 'working-days'],
    ['release', 'trialRun', 'normal', 'P3M', 'elapsed'],
    ['change', 'departmentHeadApproval', 'normal', 'PT8H', 'working-hours'],
  ])(
    'the seeded defaults give %s %s (%s) %s on the %s basis',
    async (process, stage, priority, duration, basis) => {
      expect(await findSlaPolicy(db, { process, stage, priority })).toMatchObject({ duration, basis });
    },
  );

  it('the most specific active policy wins: exact process first, then exact stage, then exact priority', async () => {
    await upsertSlaPolicy(db, policy('process', '*', '*', 'PT1H'));
    await upsertSlaPolicy(db, policy('priority', '*', 'urgent', 'PT2H'));
    await upsertSlaPolicy(db, policy('stage', 'review', '*', 'PT3H'));
    await upsertSlaPolicy(db, policy('stage-priority', 'review', 'urgent', 'PT4H'));
    const find = (stage: string, priority: string) =>
      findSlaPolicy(db, { process: process_, stage, priority });

    expect(await find('review', 'urgent')).toMatchObject({
      policyId: `${process_}.stage-priority`,
      duration: 'PT4H',
    });
    expect(await find('review', 'normal')).toMatchObject({
      policyId: `${process_}.stage`,
      stage: 'review',
      priority: '*',
    });
    expect(await find('other', 'urgent')).toMatchObject({ policyId: `${process_}.priority` });
    expect(await find('other', 'normal')).toMatchObject({ policyId: `${process_}.process` });
  });

  it('an inactive policy is passed over for the next most specific one', async () => {
    await upsertSlaPolicy(db, policy('fallback', 'approve', '*', 'PT5H'));
    await upsertSlaPolicy(db, { ...policy('retired', 'approve', 'low', 'PT6H'), active: false });

    expect(await findSlaPolicy(db, { process: process_, stage: 'approve', priority: 'low' })).toMatchObject({
      policyId: `${process_}.fallback`,
    });
  });

  it('a working-time policy without a calendar is refused', async () => {
    const invalid = { ...policy('no-calendar', 'x', '*', 'P1D'), basis: 'working' as const };

    await expect(upsertSlaPolicy(db, invalid)).rejects.toThrow('needs a calendar');
  });

  it('a duration that is not ISO-8601 is refused', async () => {
    await expect(upsertSlaPolicy(db, policy('bad', 'x', '*', '2 days'))).rejects.toThrow(
      'not an ISO-8601 duration',
    );
  });

  it('resolveSlaPolicy fails without retry as SlaPolicyMissing when nothing matches, not even a catch-all', async () => {
    // Inside a transaction that is rolled back, so the seeded catch-all is gone only for this test.
    const trx = await db.transaction();
    try {
      await trx('sla_policies').where({ process: '*', stage: '*', priority: '*' }).update({ active: false });
      const { resolveSlaPolicy } = createSlaPolicyActivities(trx);

      await expect(
        resolveSlaPolicy({ process: `${process_}-unknown`, stage: 'nowhere', priority: 'none' }),
      ).rejects.toMatchObject({
        type: 'SlaPolicyMissing',
        nonRetryable: true,
      });
    } finally {
      await trx.rollback();
    }
  });

  it('resolveSlaPolicy returns the policy the step will keep', async () => {
    const { resolveSlaPolicy } = createSlaPolicyActivities(db);

    expect(
      await resolveSlaPolicy({ process: 'emergency', stage: 'onsiteResponse', priority: 'major' }),
    ).toEqual({
      policyId: 'emergency.onsiteResponse',
      process: 'emergency',
      stage: 'onsiteResponse',
      priority: '*',
      basis: 'elapsed',
      duration: 'PT15M',
      warnRatio: 0.75,
      escalation: [
        { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }, { role: 'vendor_pm' }] },
        { level: 2, after: 'PT15M', notify: [{ role: 'it_head' }] },
      ],
    });
  });
});
