/** Every kind of periodic job the worker knows. Adding one: a file in this folder and a line here. */
import { drillKind } from './drill';
import { inspectionKind } from './inspection';
import { serviceReportKind } from './service-report';
import type { PeriodicJobKind } from './kind';
import { vendorReviewKind } from './vendor-review';

// One kind a line, so branches that add kinds merge cleanly.
// prettier-ignore
export const periodicJobKinds: readonly PeriodicJobKind[] = [
  drillKind,
  inspectionKind,
  vendorReviewKind,
  serviceReportKind,
];
