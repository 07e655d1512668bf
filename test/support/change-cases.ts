/** Driving change cases in tests: the people, a request form, and the Updates a person sends. */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Knex } from 'knex';
import { getCase } from '../../db/cases';
import { setDepartmentHead, upsertDepartment, upsertUser, type Role } from '../../db/directory';
import type { ChangeRequest } from '../../workflows/change/request-form';
import {
  caseViewQuery,
  decideUpdate,
  taskUpdate,
  type ActorRef,
  type CaseView,
  type DecisionKind,
  type Provenance,
} from '../../workflows/kernel';
import { apiSigned } from './api-signed';
import { eventually } from './db';

const person = (id: string, roles: Role[]): ActorRef => ({ id, roles });

/** One of each role the change process involves; `headRequester` raises emergency changes. */
export const people = {
  requester: person('chg-requester', ['requester']),
  departmentHead: person('chg-dept-head', ['department_head']),
  headRequester: person('chg-head-requester', ['department_head', 'requester']),
  opsEngineer: person('chg-ops', ['ops_engineer']),
  implementer: person('chg-implementer', ['ops_engineer']),
  opsHead: person('chg-ops-head', ['ops_head']),
  developer: person('chg-dev', ['developer']),
  tester: person('chg-tester', ['tester']),
  security: person('chg-security', ['security_officer']),
  itHead: person('chg-it-head', ['it_head']),
  customerService: person('chg-cs-head', ['department_head']),
};

export async function givenChangeDirectory(db: Knex): Promise<void> {
  await upsertDepartment(db, { id: 'chg-retail', name: 'Retail banking' });
  await upsertDepartment(db, { id: 'chg-customer-service', name: '客户服务中心 Customer service center' });
  for (const p of Object.values(people)) {
    await upsertUser(db, {
      id: p.id,
      displayName: p.id,
      email: `${p.id}@bank.example`,
      locale: 'zh-CN',
      departmentId: p === people.customerService ? 'chg-customer-service' : 'chg-retail',
      roles: p.roles as Role[],
    });
  }
  // The directory names each department's head: department-head steps go to the requester's own.
  await setDepartmentHead(db, 'chg-retail', { head: people.departmentHead.id });
  await setDepartmentHead(db, 'chg-customer-service', { head: people.customerService.id });
}

export function changeRequest(overrides: Partial<ChangeRequest> = {}): ChangeRequest {
  return {
    title: 'Raise the daily transfer limit parameter',
    changeType: 'business_parameter_change',
    source: 'business_need',
    affectedSystems: ['core-banking'],
    content: 'Change the daily transfer limit from 50,000 to 100,000 CNY',
    purpose: 'Customers asked for higher limits',
    alternativeMeasure: 'None: the limit is a system parameter',
    impactOfNotChanging: {
      customers: 'complaints continue',
      compliance: 'none',
      externalStakeholders: 'none',
      internalOperations: 'manual exceptions at branches',
      securityControls: 'none',
      availability: 'none',
      dataAccuracy: 'none',
    },
    urgency: 'normal',
    requester: 'chg-requester',
    department: 'chg-retail',
    desiredDate: '2031-03-10',
    ...overrides,
  };
}

let counter = 0;

export async function startChange(
  client: Client,
  taskQueue: string,
  request: ChangeRequest,
  requester = people.requester.id,
) {
  counter += 1;
  const caseId = `CHG-T${process.pid}-${Date.now().toString(36)}-${counter}`;
  return client.workflow.start('changeProcess', {
    taskQueue,
    workflowId: caseId,
    args: [
      {
        caseId,
        process: 'change',
        title: request.title,
        requester,
        priority: request.urgency,
        system: request.affectedSystems[0],
        fields: request as unknown as Record<string, unknown>,
      },
    ],
  });
}

/** A person acting on one case through the real Updates, signed as the API signs them. */
export class ChangeDriver {
  constructor(
    readonly handle: WorkflowHandle,
    private readonly db: Knex,
  ) {}

  view(): Promise<CaseView> {
    return this.handle.query(caseViewQuery);
  }

  /** Waits until the step (any round of it: `name`, `name#2`…) is open for action. */
  async pending(step: string): Promise<CaseView> {
    return eventually(async () => {
      const view = await this.view();
      return view.pendingSteps.some((s) => s.step === step || s.step.startsWith(`${step}#`)) ? view : null;
    }, `step ${step} pending on ${this.handle.workflowId}`);
  }

  async decide(
    step: string,
    actor: ActorRef,
    decision: DecisionKind,
    comment?: string,
    provenance: Provenance = { channel: 'api' },
  ) {
    await this.pending(step);
    return this.handle.executeUpdate(decideUpdate, {
      args: [apiSigned(this.handle.workflowId, 'decide', { step, decision, actor, comment, ...provenance })],
    });
  }

  async complete(step: string, actor: ActorRef, form: Record<string, unknown>) {
    await this.pending(step);
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

  /** The refusal code of an Update the workflow refused. */
  async refusal(update: Promise<unknown>): Promise<{ code: string; message: string }> {
    try {
      await update;
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        const cause = err.cause as { type?: string; message: string };
        return { code: cause.type ?? 'unknown', message: cause.message };
      }
      throw err;
    }
    throw new Error('the update was accepted');
  }

  /**
   * Waits for the case to close by querying it, not by awaiting the workflow result: on the
   * time-skipping server a result wait unlocks time skipping and would move the clock the
   * later scenarios of a file plan on.
   */
  async closed(): Promise<CaseView> {
    const view = await eventually(async () => {
      const v = await this.view();
      return v.status === 'closed' ? v : null;
    }, `${this.handle.workflowId} closed`);
    // The audit trail and the read model hold the closing event once its batch is written.
    await eventually(async () => {
      const row = await getCase(this.db, this.handle.workflowId);
      return row?.state === 'closed' && row.version >= view.lastSeq;
    }, `${this.handle.workflowId} closed in PostgreSQL`);
    return view;
  }
}

// ---- forms, filled as the people of a well-run change would fill them

export const forms = {
  assessment: (overrides: Record<string, unknown> = {}) => ({
    existingFunctionOrWorkaround: 'No existing function; no workaround',
    developmentNeeded: false,
    effortHours: 4,
    infrastructureChange: 'none',
    backendDataChange: 'parameter table row',
    securityConsiderations: 'fraud limits reviewed by security',
    businessInterruption: false,
    riskLevel: 'low',
    proposedDate: '2031-03-08',
    recommendation: 'recommended',
    reason: 'Reasonable business need, small effort',
    ...overrides,
  }),
  designAndBuild: { designDocument: 'SDS-2031-014', versionTag: 'core-2031.03.1', handedOverToOps: true },
  plan: {
    implementationSteps: ['back up parameter table', 'apply new limit', 'verify on test account'],
    rollbackSteps: ['restore parameter table from backup'],
    contingencyMeasures: 'on-call DBA and vendor engineer on the bridge',
    riskAnalysis: {
      backupMachine: 'standby host ready',
      monitoring: 'transfer error rate dashboard',
      dataBackup: 'full backup before start',
      programBackup: 'previous release kept',
      databaseObjects: 'one new index',
      otherSystemsImpact: 'mobile banking reads the limit',
    },
  },
  testReport: {
    testSteps: ['transfer 80,000 CNY', 'transfer 120,000 CNY'],
    testResults: 'first accepted, second refused',
    passed: true,
    signedBy: 'chg-tester',
  },
  securityPreReview: { opinion: 'fraud rules adjusted accordingly', cleared: true },
  userTest: { confirmed: true, notes: 'branch staff tested' },
  schedule: (
    window: { windowStart: string; windowEnd: string },
    overrides: Record<string, unknown> = {},
  ) => ({
    ...window,
    businessInterruption: false,
    affectedDepartments: [],
    ...overrides,
  }),
  implementation: (overrides: Record<string, unknown> = {}) => ({
    result: 'succeeded',
    backupConfirmed: true,
    startedAt: '2031-03-08T22:05:00+08:00',
    finishedAt: '2031-03-08T23:10:00+08:00',
    monitoredBy: 'chg-ops-head',
    ...overrides,
  }),
  confirmation: { confirmed: true, goalMet: true, negativeEffects: '' },
};
