/**
 * Records what happened to a case: audit events, the case projection, its participants and the
 * notifications they cause, in one transaction under the case lock. Safe to retry: events already stored are
 * skipped, an older projection never overwrites a newer one, an intent is queued once.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import type { CaseEventRecord, RecordCaseEventsInput } from '../workflows/contracts/case-records';
import { appendCaseEvents, CaseEventConflictError, InvalidCaseEventBatchError } from '../db/audit';
import { noteHolidayDataGaps } from '../db/calendars';
import { lockCase } from '../db/case-lock';
import { recordCaseParticipants } from '../db/case-participants';
import { upsertCaseProjection } from '../db/cases';
import { insertNotificationIntents, InvalidNotificationIntentError } from '../db/outbox';
import { createLogger } from '../runtime/logger';

const log = createLogger('calendar');

export function createCaseEventActivities(db: Knex) {
  return {
    async recordCaseEvents(input: RecordCaseEventsInput): Promise<{ written: number }> {
      try {
        assertOneCase(input);
        return await db
          .transaction(async (trx) => {
            await lockCase(trx, input.caseId);
            const { written, lastSeq } = await appendCaseEvents(trx, input.caseId, input.events ?? []);
            if (input.projection) {
              assertProjectionWithinTrail(input.projection.version, lastSeq, input.caseId);
              await upsertCaseProjection(trx, input.projection);
            }
            // Before the intents: who may be told is who may read the case (db/case-access.ts).
            await recordCaseParticipants(trx, input.caseId, input.events ?? [], input.projection);
            await insertNotificationIntents(trx, input.notifications ?? []);
            const gaps = await noteHolidayDataGaps(trx, holidayDataGapsIn(input.caseId, input.events ?? []));
            return { written, gaps };
          })
          .then(({ written, gaps }) => {
            // Once per calendar and year, however many cases and workers meet it: the insert decides.
            for (const gap of gaps) {
              log.warn(
                { calendarId: gap.calendarId, year: gap.year, caseId: input.caseId },
                `calendar ${gap.calendarId} has no holiday data for ${gap.year}: due times there count only weekends; import the year's holidays or upgrade chinese-days`,
              );
            }
            return { written };
          });
      } catch (err) {
        // Retrying cannot change these outcomes; a gap (an earlier batch still on its way) stays retryable.
        if (
          err instanceof InvalidCaseEventBatchError ||
          err instanceof CaseEventConflictError ||
          err instanceof InvalidNotificationIntentError
        ) {
          throw ApplicationFailure.nonRetryable(err.message, err.name);
        }
        if (refusedData(err))
          throw ApplicationFailure.nonRetryable((err as Error).message, 'CaseRecordRefused');
        throw err;
      }
    },
  };
}

/** Due times a case computed past its calendar's holiday data (`calendar.holiday-data-missing`, steps.ts). */
function holidayDataGapsIn(caseId: string, events: CaseEventRecord[]) {
  return events
    .filter((e) => e.type === 'calendar.holiday-data-missing')
    .map((e) => ({ calendarId: String(e.data.calendarId), year: Number(e.data.reachedYear), caseId }))
    .filter((gap) => Number.isInteger(gap.year));
}

/** The lock and the idempotency checks are per case, so everything in one call must be of one case. */
function assertOneCase(input: RecordCaseEventsInput): void {
  const other = [input.projection, ...(input.notifications ?? [])].find(
    (x) => x && x.caseId !== input.caseId,
  );
  if (other) {
    throw new InvalidCaseEventBatchError(
      `case ${input.caseId}: the call carries a record of case ${other.caseId}`,
    );
  }
}

/**
 * The projection names the last event it reflects; it must not claim more than the trail holds,
 * or the audit verifier could no longer tell a cut-off trail from a projection ahead of it.
 */
function assertProjectionWithinTrail(version: number, lastSeq: number, caseId: string): void {
  if (version > lastSeq) {
    throw new InvalidCaseEventBatchError(
      `case ${caseId}: the projection is at version ${version} but the trail ends at #${lastSeq}`,
    );
  }
}

/**
 * PostgreSQL refused the values themselves (SQLSTATE class 22, data exception, or 23, integrity
 * constraint): the same input would be refused on every retry. Lost connections and the like stay retryable.
 */
function refusedData(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
