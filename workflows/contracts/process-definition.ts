/**
 * What a process is, as everything outside its folder sees it: the API starts and lists its
 * cases from it, the worker registers its workflow type, and a test holds every name in it
 * against what exists (templates, SLA policies, workflow exports). Plain data and pure
 * functions only, so the API and db import it without pulling in workflow code.
 */
import type { JsonSchema } from './form-schema';

export interface CaseHeadline {
  title: string;
  priority: string;
  system: string | null;
}

/** A name people read, in both languages of the product. */
export interface Wording {
  en: string;
  'zh-CN': string;
}

export interface ProcessDefinition<Request = Record<string, unknown>> {
  /** The name in URLs and the read model: `POST /api/v1/cases/change`. */
  name: string;
  title: Wording;
  workflowType: string;
  /** `CHG` → case numbers CHG-2026-000123. */
  casePrefix: string;
  /** The request form (JSON Schema) a case starts from. */
  startSchema: JsonSchema;
  /** Roles that may open a case of this process; empty means any signed-in person. */
  starterRoles: readonly string[];
  /** Title, priority and system of the case, read from its (validated) request form. */
  headline(request: Request): CaseHeadline;
  /**
   * Every stage the case can enter, with the SLA stage keys of the steps that open in it (the
   * `stage` column of `sla_policies`). The kernel refuses a stage or a step clock not named here.
   */
  stages: Record<string, readonly string[]>;
  /** Mail templates the process emits itself, besides the kernel's own (`kernelTemplates`). */
  templates: readonly string[];
  /**
   * The form of each task step, by step name: published in /openapi.json as the named schema
   * `<process>.<step>` (`formRefOf`), and named by the step while it waits. The kernel refuses to
   * open a task with a form not listed here. A process without it publishes no step forms yet.
   */
  forms?: Record<string, JsonSchema>;
  /** Every step's title in both languages, by step name: mails name the step in the reader's language. */
  steps?: Record<string, Wording>;
  /** Stages in which the requester may no longer withdraw the case (work has begun); none if absent. */
  notWithdrawableIn?: readonly string[];
}

/** Identity function that keeps the request type: `defineProcess<ChangeRequest>({ … })`. */
export function defineProcess<Request>(definition: ProcessDefinition<Request>): ProcessDefinition<Request> {
  return definition;
}

/** The name a step's form is published under: `change.opsAssessment`. */
export function formRefOf(process: string, step: string): string {
  return `${process}.${step}`;
}

/** The SLA stage keys a process's steps use, each once. */
export function slaStagesOf(definition: Pick<ProcessDefinition, 'stages'>): string[] {
  return [...new Set(Object.values(definition.stages).flat())];
}

/** Templates every case can emit whatever its process: steps, clocks, decisions, closing. */
export const kernelTemplates = [
  'approval-request',
  'task-assigned',
  'decision-made',
  'case-closed',
  'sla-warning',
  'sla-overdue',
  'sla-escalation',
] as const;
