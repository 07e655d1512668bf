/**
 * What a monthly service report holds: its figures by section, each section's source in the read
 * model. Plain types and data, shared by the figures (`service-report.ts`), the frozen snapshot,
 * the renderers and the API schema. `null` in a section means no data: its process has no case
 * in scope (the defect and vendor-review processes write these fields once they run).
 */

export interface ServiceReportFigures {
  period: {
    month: string;
    from: string;
    to: string;
    timeZone: string;
    system: string | null;
    vendor: string | null;
  };
  sources: Record<ServiceReportSection, string>;
  casesByProcess: Array<{ process: string; opened: number; closed: number }>;
  trend: Array<{ month: string; opened: number; closed: number }>;
  sla: {
    met: number;
    breached: number;
    attainment: number | null;
    stages: Array<{
      process: string;
      step: string;
      met: number;
      breached: number;
      attainment: number | null;
    }>;
    breaches: Array<{
      caseId: string;
      process: string;
      step: string;
      dueAt: string | null;
      overdueAt: string;
      doneAt: string | null;
      escalationLevel: number;
    }>;
  };
  guarantees: {
    handling: { toHandle: number; handled: number; rate: number | null; target: number; met: boolean | null };
    onTime: { codeChanges: number; onTime: number; rate: number | null; target: number; met: boolean | null };
  } | null;
  emergencies: Array<{
    caseId: string;
    title: string;
    level: string;
    state: string;
    occurredAt: string;
    recoveredAt: string | null;
    recoveryMinutes: number | null;
    recoveryClock: string | null;
  }>;
  changes: Lifecycle & { byType?: Tally };
  releases: Lifecycle;
  defectsByClass: Array<{ defectClass: string; raised: number; resolved: number }> | null;
  correctiveActions: Array<{
    caseId: string;
    action: string;
    owner: string | null;
    dueAt: string | null;
  }> | null;
}

type Tally = Array<{ value: string; count: number }>;
interface Lifecycle {
  opened: number;
  closed: number;
  byOutcome: Tally;
}

export type ServiceReportSection =
  | 'casesByProcess'
  | 'trend'
  | 'sla'
  | 'guarantees'
  | 'emergencies'
  | 'changes'
  | 'releases'
  | 'defectsByClass'
  | 'correctiveActions';

/** Where each section's figures come from, so the processes built later plug in. */
export const serviceReportSources: Record<ServiceReportSection, string> = {
  casesByProcess: 'cases: created_at, closed_at by process',
  trend: 'cases: created_at, closed_at by month, the six months ending with the report month',
  sla: 'case_events: step.opened, task.completed / step.decided (outcome), sla.overdue, sla.escalated; a step counts in the month of its verdict',
  guarantees:
    "cases process 'defect', fields confirmedAt, resolvedAt, codeChange, onTime (003 (九) 1–2; counted as db/defect-guarantees.ts)",
  emergencies: "cases process 'emergency', fields milestones.recovered, recoveryReport.recoveryMinutes",
  changes: "cases process 'change', fields changeType, outcome (as db/change-review.ts)",
  releases: "cases process 'release', field outcome",
  defectsByClass: "cases process 'defect', field defectClass",
  correctiveActions:
    "cases process 'vendor-review', fields correctiveActions[] (correctiveAction, owner, dueAt; open while status is not closed)",
};
