/**
 * The steps of emergency response as kernel specs, with the clause each comes from. A milestone
 * (responded, arrived, diagnosed, recovered) is a task opened when the event is registered: its
 * SLA stage is the response window the service mode gives it, so the kernel's clock, escalation
 * ladder and audit run each window; completing it is the timestamped milestone with its actor
 * (offline, with its real time and evidence, when it was reported by phone).
 */
import { role } from '../contracts/assignees';
import type { ApprovalSpec } from '../kernel/approval';
import type { TaskSpec } from '../kernel/task';
import {
  actionDoneForm,
  communicationForm,
  diagnosisForm,
  dispatchForm,
  milestoneForm,
  recoveryForm,
  recoveryReportForm,
  summaryReportForm,
  type ActionDone,
  type Communication,
  type Diagnosis,
  type Dispatch,
  type ImprovementAction,
  type MilestoneNote,
  type Recovery,
  type RecoveryReport,
  type SummaryReport,
} from './forms';
import type { ServiceMode } from './request-form';

/** The on-duty engineers' queue: whoever is on duty claims the event. */
export const DUTY_QUEUE = role('ops_engineer');

/** 004 §8.1.1 c: the event goes to an on-duty engineer or the vendor's queue. */
export const dispatch: TaskSpec<Dispatch> = {
  step: 'dispatch',
  title: 'On-duty engineer dispatches the event',
  assignee: DUTY_QUEUE,
  formSchema: dispatchForm,
};

export type Milestone = 'responded' | 'arrived' | 'diagnosed' | 'recovered';

/**
 * 003 (八) 1–2 and the policy table: on site — response 15 min, arrival 4 h, resolution 8 h;
 * remote — response 2 h, diagnosis report 4 h. The milestones without a seed clock run on their
 * own policy rows (`diagnosis`, `resolution`).
 */
export function milestones(mode: ServiceMode) {
  const onsite = mode === 'onsite';
  const responded: TaskSpec<MilestoneNote> = {
    step: 'responded',
    title: onsite ? 'Respond to the on-site event' : 'Respond by phone (7×24 hotline)',
    assignee: DUTY_QUEUE,
    formSchema: milestoneForm,
    slaStage: onsite ? 'onsiteResponse' : 'remoteResponse',
  };
  const arrived: TaskSpec<MilestoneNote> = {
    step: 'arrived',
    title: 'Arrive on site',
    assignee: DUTY_QUEUE,
    formSchema: milestoneForm,
    slaStage: 'onsiteArrival',
  };
  const diagnosed: TaskSpec<Diagnosis> = {
    step: 'diagnosed',
    title: onsite ? 'Diagnose the event' : 'Report the diagnosis',
    assignee: DUTY_QUEUE,
    formSchema: diagnosisForm,
    slaStage: onsite ? 'diagnosis' : 'diagnosisReport',
  };
  const recovered: TaskSpec<Recovery> = {
    step: 'recovered',
    title: 'Recover the service',
    assignee: DUTY_QUEUE,
    formSchema: recoveryForm,
    recordsImplementer: true,
    slaStage: onsite ? 'onsiteResolution' : 'resolution',
  };
  return { responded, arrived: onsite ? arrived : null, diagnosed, recovered };
}

/** 004 §8.1.1 c: the affected business departments are told, and confirm. */
export function businessCommunication(handler: string): TaskSpec<Communication> {
  return {
    step: 'businessCommunication',
    title: 'Communicate with and get confirmation from the affected business departments',
    assignee: handler,
    formSchema: communicationForm,
    slaStage: 'communication',
  };
}

/** 003 (七) 1(3): the handler completes the failure-recovery report pre-filled from the milestones. */
export function recoveryReport(handler: string): TaskSpec<Partial<RecoveryReport>> {
  return {
    step: 'recoveryReport',
    title: 'Handler completes the failure-recovery report',
    assignee: handler,
    formSchema: recoveryReportForm,
    slaStage: 'recoveryReport',
  };
}

export const recoveryReportApproval: ApprovalSpec = {
  step: 'recoveryReportApproval',
  title: 'O&M head approves the failure-recovery report',
  levels: [{ approvers: [role('ops_head')], mode: 'any' }],
  slaStage: 'recoveryReportApproval',
};

/** 004 §8.1.1 d: the summary report, with improvement actions. */
export function summaryReport(handler: string): TaskSpec<SummaryReport> {
  return {
    step: 'summaryReport',
    title: 'Handler writes the summary report',
    assignee: handler,
    formSchema: summaryReportForm,
    slaStage: 'summaryReport',
  };
}

/** Each improvement action: owned, due on its date, chased up the ladder like any step. */
export function improvementAction(action: ImprovementAction): TaskSpec<ActionDone> {
  return {
    step: 'improvementAction',
    title: `Improvement action: ${action.action}`,
    assignee: action.owner,
    formSchema: actionDoneForm,
    slaStage: 'improvement',
    dueAt: action.dueAt,
  };
}
