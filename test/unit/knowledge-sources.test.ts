/** Which cases may propose a knowledge entry, and what the draft takes from each. */
import { draftFromCase } from '../../db/knowledge-sources';
import type { CaseProjection } from '../../workflows/contracts/case-records';

const at = '2026-11-20T08:00:00.000Z';
function kase(process: string, state: string, fields: Record<string, unknown>): CaseProjection {
  return {
    caseId: `${process.slice(0, 3).toUpperCase()}-2026-000042`,
    version: 5,
    process,
    title: 'Settlement batch stalls',
    state,
    stage: state === 'closed' ? 'closed' : 'handling',
    priority: 'II',
    system: 'med-settlement',
    requester: 'u-1',
    assignees: [],
    dueAt: null,
    overdue: false,
    createdAt: at,
    updatedAt: at,
    closedAt: state === 'closed' ? at : null,
    fields,
  };
}

test('a closed emergency event drafts problem, cause and the recovery actions as the solution', () => {
  const fields = {
    description: '医保结算批量停滞',
    diagnosis: '批量进程挂起',
    cause: '线程池耗尽',
    affectedSystems: ['med-settlement', 'si-core'],
    recovery: { actions: '扩大线程池并重启批量', result: '恢复' },
    summaryReport: { handling: '增加线程池监控' },
  };
  expect(draftFromCase(kase('emergency', 'open', fields))).toMatchObject({ usable: false });
  expect(draftFromCase(kase('emergency', 'closed', fields))).toEqual({
    usable: true,
    origin: 'emergency',
    draft: {
      title: 'Settlement batch stalls',
      problem: '医保结算批量停滞',
      symptoms: '批量进程挂起',
      cause: '线程池耗尽',
      solution: '扩大线程池并重启批量\n增加线程池监控',
      systems: ['med-settlement', 'si-core'],
      tags: ['emergency'],
      sourceCases: ['EME-2026-000042'],
    },
  });
});

test('only a rolled-back change drafts an entry, from its rollback cause and rollback steps', () => {
  expect(draftFromCase(kase('change', 'closed', { description: 'upgrade' }))).toMatchObject({
    usable: false,
    reason: expect.stringContaining('not rolled back'),
  });
  const drafted = draftFromCase(
    kase('change', 'closed', {
      content: 'Upgrade the settlement middleware',
      rollbackCause: 'the new driver refused old TLS ciphers',
      plan: { rollbackSteps: ['reinstall driver 4.2', 'restart the settlement service'] },
    }),
  );
  expect(drafted).toMatchObject({
    usable: true,
    origin: 'change',
    draft: {
      cause: 'the new driver refused old TLS ciphers',
      problem: 'Upgrade the settlement middleware\nRolled back: the new driver refused old TLS ciphers',
      solution: 'reinstall driver 4.2\nrestart the settlement service',
      tags: ['change', 'rollback'],
    },
  });
});

test('a defect drafts an entry once its cause and solution are written, flat or under resolution', () => {
  expect(draftFromCase(kase('defect', 'open', { description: 'x', cause: 'y' }))).toMatchObject({
    usable: false,
  });
  expect(
    draftFromCase(kase('defect', 'open', { description: 'x', cause: 'c', solution: 's' })),
  ).toMatchObject({
    usable: true,
    draft: { problem: 'x', cause: 'c', solution: 's' },
  });
  expect(draftFromCase(kase('access', 'closed', {}))).toMatchObject({ usable: false });
});
