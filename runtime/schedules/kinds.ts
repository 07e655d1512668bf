/** Every kind of periodic job the worker knows. Adding one: a file in this folder and a line here. */
import { drillKind } from './drill';
import { inspectionKind } from './inspection';
import { changePlanReviewKind } from './change-plan-review';
import { changeReviewKind } from './change-review';
import { quarterlyCheckKind } from './quarterly-check';
import { serviceReportKind } from './service-report';
import { vendorReviewKind } from './vendor-review';
import type { PeriodicJobKind } from './kind';

// One kind a line, so branches that add kinds merge cleanly.
// prettier-ignore
export const periodicJobKinds: readonly PeriodicJobKind[] = [
  drillKind,
  inspectionKind,
  vendorReviewKind,
  changePlanReviewKind,
  changeReviewKind,
  quarterlyCheckKind,
  serviceReportKind,
];
