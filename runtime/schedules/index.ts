/** Periodic jobs on Temporal Schedules: the kinds, and `ensureSchedules` the worker calls at start. */
export { ensureSchedules, scheduleOptionsOf, type EnsureSchedulesOptions } from './ensure';
export { definePeriodicJobKind, scheduledStartArgs, type PeriodicJobKind } from './kind';
export { periodicJobKinds } from './kinds';
