/**
 * The one list of processes. The API starts and lists cases from these definitions; the
 * worker's entry (`index.ts`) exports each one's workflow, and a test holds the two together.
 * Definitions are plain data, so importing this pulls in no workflow code.
 */
import { accessDefinition } from './access/definition';
import { changeDefinition } from './change/definition';
import { releaseDefinition } from './release/definition';
import { drillDefinition } from './drill/definition';
import { emergencyDefinition } from './emergency/definition';
import { knowledgeDefinition } from './knowledge/definition';
import { defectDefinition } from './defect/definition';
import { vendorReviewDefinition } from './vendor-review/definition';
import { inspectionDefinition } from './inspection/definition';
import { handoverDefinition } from './handover/definition';
import { changePlanReviewDefinition } from './change-plan-review/definition';
import { changeReviewDefinition } from './change-review/definition';
import { quarterlyCheckDefinition } from './quarterly-check/definition';
import { serviceReportDefinition } from './service-report/definition';
import type { ProcessDefinition } from './contracts/process-definition';

export const definitions: ReadonlyArray<ProcessDefinition<never>> = [
  accessDefinition,
  changeDefinition,
  releaseDefinition,
  emergencyDefinition,
  drillDefinition,
  knowledgeDefinition,
  defectDefinition,
  vendorReviewDefinition,
  inspectionDefinition,
  handoverDefinition,
  changePlanReviewDefinition,
  changeReviewDefinition,
  quarterlyCheckDefinition,
  serviceReportDefinition,
];

/** Definitions by process name, as URLs name them. */
export const processes: Readonly<Record<string, ProcessDefinition>> = Object.fromEntries(
  definitions.map((d) => [d.name, d as ProcessDefinition]),
);
