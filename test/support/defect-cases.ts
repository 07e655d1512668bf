/** Driving defect cases in tests: the people, a registration, the reopen Update as the API sends it. */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { upsertSystem } from '../../db/api-master-data';
import { setDepartmentHead, upsertDepartment, upsertUser, upsertVendor, type Role } from '../../db/directory';
import type { DefectReport } from '../../workflows/defect/request-form';
import { reopenUpdate, taskUpdate, type ActorRef } from '../../workflows/kernel';
import { apiSigned } from './api-signed';
import { ChangeDriver } from './change-cases';

const person = (id: string, roles: Role[], vendor = false) => ({ id, roles, vendor });

/** `prefix` keeps each file's people, vendor and system its own on the shared database. */
export function defectPeople(prefix: string) {
  const all = {
    user: person(`${prefix}-user`, ['requester']),
    otherUser: person(`${prefix}-user2`, ['requester']),
    pm: person(`${prefix}-pm`, ['vendor_pm'], true),
    engineer: person(`${prefix}-eng1`, ['vendor_engineer'], true),
    engineer2: person(`${prefix}-eng2`, ['vendor_engineer'], true),
    opsHead: person(`${prefix}-ops-head`, ['ops_head']),
    head: person(`${prefix}-head`, ['department_head']),
  };
  const actor = (p: { id: string; roles: Role[] }): ActorRef => ({ id: p.id, roles: p.roles });
  return {
    vendorId: `${prefix}-vendor`,
    department: `${prefix}-pension`,
    system: `${prefix}-core`,
    people: all,
    who: Object.fromEntries(Object.entries(all).map(([k, p]) => [k, actor(p)])) as Record<
      keyof typeof all,
      ActorRef
    >,
  };
}

export type DefectPeople = ReturnType<typeof defectPeople>;

export async function givenDefectDirectory(db: Knex, d: DefectPeople): Promise<void> {
  await upsertVendor(db, { id: d.vendorId, name: 'Social insurance system vendor' });
  await upsertDepartment(db, { id: d.department, name: 'Pension department' });
  await upsertSystem(db, {
    id: d.system,
    name: d.system,
    ownerDepartmentId: d.department,
    vendorId: d.vendorId,
    active: true,
  });
  for (const p of Object.values(d.people)) {
    await upsertUser(db, {
      id: p.id,
      displayName: p.id,
      email: `${p.id}@si.example`,
      locale: p.id.endsWith('user') ? 'zh-CN' : 'en',
      departmentId: p.vendor ? null : d.department,
      vendorId: p.vendor ? d.vendorId : null,
      roles: p.roles,
    });
  }
  await setDepartmentHead(db, d.department, { head: all(d).head.id });
}

const all = (d: DefectPeople) => d.people;

export function defectReport(d: DefectPeople, overrides: Partial<DefectReport> = {}): DefectReport {
  return {
    kind: 'defect',
    defectClass: 'corrective',
    title: '养老保险待遇计算结果错误 / pension amount wrong',
    system: d.system,
    module: 'pension calculation',
    stepsToReproduce: 'Open case 3301, recalculate the pension for 2026-11',
    expectedResult: '3 120.50 CNY',
    actualResult: '3 012.50 CNY: the indexation of 2026 is missing',
    evidenceRefs: ['screenshot://si/3301-recalc.png'],
    ...overrides,
  };
}

let counter = 0;

export async function startDefect(
  client: Client,
  taskQueue: string,
  requester: string,
  report: DefectReport,
  requesterVendorId: string | null = null,
) {
  counter += 1;
  const caseId = `DEF-T${process.pid}-${Date.now().toString(36)}-${counter}`;
  return client.workflow.start('defectProcess', {
    taskQueue,
    workflowId: caseId,
    args: [
      {
        caseId,
        process: 'defect',
        title: report.title,
        requester,
        priority: report.defectClass,
        system: report.system,
        vendorId: requesterVendorId,
        fields: { ...report },
      },
    ],
  });
}

export class DefectDriver extends ChangeDriver {
  async reassign(step: string, actor: ActorRef, to: string, reason: string) {
    await this.pending(step);
    return this.handle.executeUpdate(taskUpdate, {
      args: [
        apiSigned(this.handle.workflowId, 'task', {
          step,
          action: 'reassign' as const,
          actor,
          to,
          reason,
          channel: 'api' as const,
        }),
      ],
    });
  }

  /** Completes a step without waiting for it to open: what a too-early attempt looks like. */
  completeNow(step: string, actor: ActorRef, form: Record<string, unknown>) {
    return this.handle.executeUpdate(taskUpdate, {
      args: [
        apiSigned(this.handle.workflowId, 'task', {
          step,
          action: 'complete' as const,
          actor,
          form,
          channel: 'api' as const,
        }),
      ],
    });
  }

  reopen(actor: ActorRef, reason: string, link?: string) {
    return this.handle.executeUpdate(reopenUpdate, {
      args: [apiSigned(this.handle.workflowId, 'reopen', { actor, reason, ...(link ? { link } : {}) })],
    });
  }
}
