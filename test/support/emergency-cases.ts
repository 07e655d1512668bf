/** Driving emergency cases in tests: the people, an event form, the Updates a person sends. */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { upsertSystem } from '../../db/api-master-data';
import { upsertUser, upsertVendor, type Role } from '../../db/directory';
import { apiSigned } from './api-signed';
import type { EmergencyEvent } from '../../workflows/emergency/request-form';
import { changePriorityUpdate, taskUpdate, type ActorRef, type CaseView } from '../../workflows/kernel';
import { ChangeDriver } from './change-cases';
import { eventually } from './db';

const person = (id: string, roles: Role[]): ActorRef => ({ id, roles });

export const responders = {
  reporter: person('emg-reporter', ['requester']),
  duty: person('emg-duty', ['ops_engineer']),
  handler: person('emg-handler', ['ops_engineer']),
  opsHead: person('emg-ops-head', ['ops_head']),
  itHead: person('emg-it-head', ['it_head']),
  vendorPm: person('emg-vendor-pm', ['vendor_pm']),
  owner: person('emg-owner', ['ops_engineer']),
};

/** The vendor contracted for the systems the tests' events hit: its project manager may read them. */
const vendorId = 'emg-vendor';

export async function givenEmergencyDirectory(db: Knex): Promise<void> {
  await upsertVendor(db, { id: vendorId, name: 'Core systems vendor' });
  for (const system of ['core-banking', 'payments']) {
    await upsertSystem(db, { id: system, name: system, ownerDepartmentId: null, vendorId, active: true });
  }
  for (const p of Object.values(responders)) {
    await upsertUser(db, {
      id: p.id,
      displayName: p.id,
      email: `${p.id}@bank.example`,
      locale: 'en',
      departmentId: null,
      vendorId: p.roles.includes('vendor_pm') ? vendorId : null,
      roles: p.roles as Role[],
    });
  }
}

export function emergencyEvent(overrides: Partial<EmergencyEvent> = {}): EmergencyEvent {
  return {
    title: 'Core banking batch stalled',
    level: 'III',
    affectedSystems: ['core-banking'],
    affectedServices: ['end-of-day batch'],
    detectedBy: 'monitoring',
    serviceMode: 'onsite',
    description: 'The end-of-day batch stopped at step 14',
    ...overrides,
  };
}

let counter = 0;

export async function startEmergency(client: Client, taskQueue: string, event: EmergencyEvent) {
  counter += 1;
  const caseId = `EMG-T${process.pid}-${Date.now().toString(36)}-${counter}`;
  return client.workflow.start('emergencyResponse', {
    taskQueue,
    workflowId: caseId,
    args: [
      {
        caseId,
        process: 'emergency',
        title: event.title,
        requester: responders.reporter.id,
        priority: event.level,
        system: event.affectedSystems[0],
        fields: { ...event },
      },
    ],
  });
}

export class EmergencyDriver extends ChangeDriver {
  /** As the change driver's, with room for a loaded machine (several clocks open at once). */
  override async pending(step: string): Promise<CaseView> {
    return eventually(
      async () => {
        const view = await this.view();
        return view.pendingSteps.some((s) => s.step === step || s.step.startsWith(`${step}#`)) ? view : null;
      },
      `step ${step} pending on ${this.handle.workflowId}`,
      60_000,
    );
  }

  /** A milestone reported by phone afterwards: its real time and what proves it. */
  async completeOffline(
    step: string,
    actor: ActorRef,
    form: Record<string, unknown>,
    occurredAt: string,
    evidenceRef: string,
  ) {
    await this.pending(step);
    const message = {
      step,
      action: 'complete' as const,
      actor,
      form,
      channel: 'offline' as const,
      occurredAt,
      evidenceRef,
    };
    return this.handle.executeUpdate(taskUpdate, {
      args: [apiSigned(this.handle.workflowId, 'task', message)],
    });
  }

  async raiseLevel(to: string, actor: ActorRef, reason: string) {
    return this.handle.executeUpdate(changePriorityUpdate, { args: [{ actor, priority: to, reason }] });
  }
}
