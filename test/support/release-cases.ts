/** Driving release cases in tests: the people, an application, a plan, and the forms each step takes. */
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { upsertSystem } from '../../db/api-master-data';
import { upsertDepartment, upsertUser, type Role } from '../../db/directory';
import type { ActorRef } from '../../workflows/kernel';
import type { ReleaseRequest } from '../../workflows/release/request-form';

const person = (id: string, roles: Role[]): ActorRef => ({ id, roles });

export const releasePeople = {
  projectManager: person('rel-pm', ['requester', 'developer']),
  pmo: person('rel-pmo', ['pmo']),
  security: person('rel-security', ['security_officer']),
  itHead: person('rel-it-head', ['it_head']),
  departmentHead: person('rel-dept-head', ['department_head']),
  businessHead: person('rel-business-head', ['department_head']),
  userRepresentative: person('rel-user-rep', ['requester']),
  opsEngineer: person('rel-ops', ['ops_engineer']),
  dba: person('rel-dba', ['ops_engineer']),
  opsHead: person('rel-ops-head', ['ops_head']),
};

export async function givenReleaseDirectory(db: Knex, systems: string[] = []): Promise<void> {
  await upsertDepartment(db, { id: 'rel-it', name: 'IT department' });
  for (const p of Object.values(releasePeople)) {
    await upsertUser(db, {
      id: p.id,
      displayName: p.id,
      email: `${p.id}@bank.example`,
      locale: 'en',
      departmentId: 'rel-it',
      roles: p.roles as Role[],
    });
  }
  for (const id of systems) {
    await upsertSystem(db, { id, name: id, ownerDepartmentId: null, vendorId: null, active: true });
  }
}

export function releaseRequest(overrides: Partial<ReleaseRequest> = {}): ReleaseRequest {
  return {
    title: 'Loan system 2.0 goes live',
    kind: 'go_live',
    releaseType: 'major',
    scope: 'New loan origination module and its batch jobs',
    systems: [{ systemId: 'loans', version: '2.0.0' }],
    changes: [],
    knownErrors: ['report totals round to 2 places'],
    openProblems: [],
    applicationForm: { attachmentRef: 'dms://release/loan-2.0/application.pdf' },
    userAcceptanceTestReport: {
      attachmentRef: 'dms://release/loan-2.0/uat.pdf',
      signedBy: releasePeople.businessHead.id,
      signedOn: '2031-05-28',
    },
    userRepresentative: releasePeople.userRepresentative.id,
    urgency: 'normal',
    plannedDate: '2031-06-07',
    ...overrides,
  };
}

let counter = 0;

export async function startRelease(client: Client, taskQueue: string, request: ReleaseRequest) {
  counter += 1;
  const caseId = `REL-T${process.pid}-${Date.now().toString(36)}-${counter}`;
  return client.workflow.start('releaseProcess', {
    taskQueue,
    workflowId: caseId,
    args: [
      {
        caseId,
        process: 'release',
        title: request.title,
        requester: releasePeople.projectManager.id,
        priority: request.urgency,
        system: request.systems[0].systemId,
        fields: { ...request },
      },
    ],
  });
}

const p = releasePeople;

export const releaseForms = {
  approved: (opinion = 'agreed') => ({ verdict: 'approved', opinion }),
  returned: (opinion: string) => ({ verdict: 'returned', opinion }),
  plan: (window: { windowStart: string; windowEnd: string }, extra: Record<string, unknown> = {}) => ({
    backup: {
      historyData: 'full dump of the loan schema',
      parameters: 'export of the parameter tables',
      programs: 'tar of /opt/loans',
      owner: p.opsEngineer.id,
    },
    environmentSetup: 'two new application nodes behind the load balancer',
    ...window,
    steps: [
      {
        name: 'deploy application',
        owner: p.opsEngineer.id,
        plannedStart: window.windowStart,
        plannedEnd: window.windowEnd,
      },
      {
        name: 'migrate database',
        owner: p.dba.id,
        plannedStart: window.windowStart,
        plannedEnd: window.windowEnd,
      },
    ],
    rollbackSteps: [
      { name: 'restore programs', owner: p.opsEngineer.id },
      { name: 'restore database', owner: p.dba.id },
    ],
    foreseeableProblems: [
      { problem: 'migration slower than planned', solution: 'extend the window by one hour' },
    ],
    training: {
      operatingManual: 'dms://ops-manual',
      maintenanceManual: 'dms://maint-manual',
      trainingDone: true,
    },
    versionManagementTable: 'dms://version-table-2.0',
    versionBuild: 'build 2.0.0 from tag v2.0.0',
    ...extra,
  }),
  confirmed: { confirmed: true, signedOn: '2031-06-03' },
  notConfirmed: (comments: string) => ({ confirmed: false, comments, signedOn: '2031-06-03' }),
  step: (result: 'succeeded' | 'failed' = 'succeeded', notes?: string) => ({
    startedAt: '2031-06-07T22:00:00+08:00',
    finishedAt: '2031-06-07T23:00:00+08:00',
    result,
    evidence: 'console log attached',
    ...(notes ? { notes } : {}),
  }),
  backup: {
    startedAt: '2031-06-07T22:00:00+08:00',
    finishedAt: '2031-06-07T22:20:00+08:00',
    result: 'succeeded',
    evidence: 'backup job 4411',
    historyDataRef: 'bak://loans/hist/20310607',
    parametersRef: 'bak://loans/params/20310607',
    programsRef: 'bak://loans/prog/20310607',
    versionComparison: '1.9.4 → 2.0.0: 212 files changed, diff report attached',
  },
  securityCheck: {
    startedAt: '2031-06-07T22:20:00+08:00',
    finishedAt: '2031-06-07T22:30:00+08:00',
    result: 'succeeded',
    evidence: 'scan report 77',
    opinion: 'complies with the security rules',
  },
  works: { works: true, notes: 'loans originate, batch ran' },
  trialReport: (problems: Array<Record<string, unknown>> = []) => ({
    state: problems.length ? 'issues' : 'stable',
    summary: problems.length ? 'problems found' : 'stable',
    problems,
  }),
  acceptanceApplication: {
    reportRef: 'dms://acceptance-report',
    documents: ['design', 'operating manual', 'test report'],
    trialSummary: 'three months without a severe problem',
  },
  accepted: { accepted: true, documentsChecked: true },
  notAccepted: (reasons: string) => ({ accepted: false, reasons, documentsChecked: true }),
};
