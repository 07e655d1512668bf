/** Every kind of periodic job the worker knows. Adding one: a file in this folder and a line here. */
import { drillKind } from './drill';
import type { PeriodicJobKind } from './kind';

export const periodicJobKinds: readonly PeriodicJobKind[] = [drillKind];
