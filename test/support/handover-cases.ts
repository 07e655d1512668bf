/** Driving handover cases in tests: the people of both units, a request, a plan, and the forms each step takes. */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { upsertSystem } from '../../db/api-master-data';
import { upsertDepartment, upsertUser, upsertVendor, type Role } from '../../db/directory';
import type { ActorRef } from '../../workflows/kernel';
import type { HandoverPlan, PlannedSession } from '../../workflows/handover/forms';
import type { HandoverRequest } from '../../workflows/handover/request-form';

const person = (id: string, roles: Role[], vendorId: string | null = null): ActorRef => ({
  id,
  roles,
  vendorId,
});

export const VENDOR = 'hov-vendor';
export const RECEIVING_UNIT = 'hov-ops-center';
export const BUSINESS_DEPARTMENT = 'hov-pension';

export const handoverPeople = {
  organiser: person('hov-ops', ['ops_engineer']),
  opsHead: person('hov-ops-head', ['ops_head']),
  itHead: person('hov-it-head', ['it_head']),
  vendorPm: person('hov-vendor-pm', ['vendor_pm'], VENDOR),
  /** The vendor's engineer, who never acts on the case: reads it because the vendor is the delivering party. */
  vendorEngineer: person('hov-vendor-engineer', ['vendor_engineer'], VENDOR),
  receiver: person('hov-receiver', ['receiving_unit']),
  /** Works in the receiving unit without acting on the case: reads it as a member of the unit. */
  colleague: person('hov-receiver-colleague', ['requester']),
  outsider: person('hov-outsider', ['requester']),
};

export async function givenHandoverDirectory(db: Knex, systems: string[]): Promise<void> {
  await upsertDepartment(db, { id: RECEIVING_UNIT, name: '运维中心 O&M center' });
  await upsertDepartment(db, { id: BUSINESS_DEPARTMENT, name: '养老保险科 Pension section' });
  await upsertVendor(db, { id: VENDOR, name: '某软件公司 Vendor Ltd' });
  const p = handoverPeople;
  for (const who of Object.values(p)) {
    await upsertUser(db, {
      id: who.id,
      displayName: who.id,
      email: `${who.id}@si.example`,
      locale: who === p.receiver ? 'zh-CN' : 'en',
      departmentId:
        who === p.receiver || who === p.colleague
          ? RECEIVING_UNIT
          : who === p.outsider
            ? BUSINESS_DEPARTMENT
            : null,
      vendorId: who.vendorId ?? null,
      roles: who.roles as Role[],
    });
  }
  for (const id of systems) {
    await upsertSystem(db, {
      id,
      name: id,
      ownerDepartmentId: BUSINESS_DEPARTMENT,
      vendorId: null,
      active: true,
    });
  }
}

export function handoverRequest(systemId: string, overrides: Partial<HandoverRequest> = {}): HandoverRequest {
  return {
    title: `Pension system ${systemId} goes from the project to operation`,
    systemId,
    deliveringParty: { kind: 'vendor', vendorId: VENDOR, lead: handoverPeople.vendorPm.id },
    receivingUnit: { departmentId: RECEIVING_UNIT, contact: handoverPeople.receiver.id },
    plannedCompletion: '2031-07-31',
    projectRef: 'PRJ-2030-017',
    ...overrides,
  };
}

export function session(overrides: Partial<PlannedSession> = {}): PlannedSession {
  return {
    topic: 'Daily operation and batch jobs',
    trainer: 'Vendor senior engineer Li',
    audience: 'O&M center duty engineers',
    plannedAt: '2031-06-05T14:00:00+08:00',
    plannedMinutes: 120,
    assessment: false,
    ...overrides,
  };
}

export function handoverPlan(
  sessions: PlannedSession[],
  overrides: Partial<HandoverPlan> = {},
): HandoverPlan {
  return {
    parties: [
      {
        party: 'Vendor Ltd',
        role: 'delivering party',
        responsibilities: 'deliverables, training, support until completion',
      },
      {
        party: 'O&M center',
        role: 'receiving unit',
        responsibilities: 'accepts deliverables, runs the system',
      },
      {
        party: 'Pension section',
        role: 'business owner',
        responsibilities: 'confirms the business functions',
      },
    ],
    scope: 'Application, database, batch jobs and interfaces of the pension system',
    risks: [{ risk: 'knowledge held by one vendor engineer', handling: 'two trainers; recorded sessions' }],
    standards: 'DB11/T O&M handover documentation standard; the centre document template',
    procedure: 'deliver, review, train, archive, hand over operation',
    schedule: [
      { milestone: 'deliverables handed over', date: '2031-06-20' },
      { milestone: 'operation taken over', date: '2031-07-31' },
    ],
    archives: 'the handover archive in the centre document system, box HO-2031-04',
    knowledgeTransfer: { scope: 'operation, monitoring, recovery and batch jobs', sessions },
    ...overrides,
  };
}

export const handoverForms = {
  delivered: (reference: string) => ({ reference, version: '1.0' }),
  accepted: { verdict: 'accepted' },
  returned: (reasons: string) => ({ verdict: 'returned', reasons }),
  held: (heldAt: string, minutes = 120) => ({
    heldAt,
    durationMinutes: minutes,
    content: 'architecture, daily checks, batch schedule, recovery drill',
    attendance: [
      { name: 'Li (trainer)', unit: 'Vendor Ltd' },
      { name: 'Wang', unit: 'O&M center' },
      { name: 'Zhao', unit: 'O&M center' },
    ],
    materials: ['dms://handover/pension/training-slides.pdf'],
  }),
  feedback: { satisfaction: 4, feedback: 'clear, needs more on recovery', suggestions: 'a recovery lab' },
  passed: { passed: true, results: 'all 3 participants passed (avg 86)' },
  archive: {
    archiveRef: 'HO-2031-04',
    location: 'centre document system / archive room 2',
    contents: ['plan', 'deliverables', 'training records', 'acceptance records'],
  },
};

let counter = 0;

export async function startHandover(
  client: Client,
  taskQueue: string,
  request: HandoverRequest,
  requester = handoverPeople.organiser.id,
  historyLimit?: number,
) {
  counter += 1;
  const caseId = `HOV-T${process.pid}-${Date.now().toString(36)}-${counter}`;
  return client.workflow.start('handoverProcess', {
    taskQueue,
    workflowId: caseId,
    args: [
      {
        caseId,
        process: 'handover',
        title: request.title,
        requester,
        priority: 'normal',
        system: request.systemId,
        fields: { ...request },
        ...(historyLimit ? { historyLimit } : {}),
      },
    ],
  });
}
