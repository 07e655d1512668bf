/**
 * The worker's entry: the workflow of every process in `registry.ts`, exported under the type
 * its definition names (a test checks that the two agree).
 */
export { accessRequest } from './access/workflow';
export { changeProcess } from './change/workflow';
export { releaseProcess } from './release/workflow';
export { emergencyResponse } from './emergency/workflow';
export { emergencyDrill } from './drill/workflow';
export { knowledgeReview } from './knowledge/workflow';
export { defectProcess } from './defect/workflow';
export { vendorReview } from './vendor-review/workflow';
export { routineInspection } from './inspection/workflow';
export { handoverProcess } from './handover/workflow';
export { changePlanReview } from './change-plan-review/workflow';
export { periodicChangeReview } from './change-review/workflow';
export { quarterlyCheck } from './quarterly-check/workflow';
export { serviceReport } from './service-report/workflow';
