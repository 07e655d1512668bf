/**
 * A note one case leaves on another: the O&M head's comment on a change from the weekly review of
 * the change plan (001 §17(1)) goes back to that change's audit trail as `case.note`. Sent by the
 * reviewing case's workflow as a Signal; the comment itself, with who made it through the API, is
 * in the reviewing case's own trail, which the note names.
 */
import { defineSignal } from '@temporalio/workflow';

export interface CaseNote {
  text: string;
  /** Who wrote it (as the reviewing case recorded it). */
  author: string;
  /** The case the note comes from, and its step. */
  fromCaseId: string;
  fromStep: string;
}

export const caseNoteSignal = defineSignal<[CaseNote]>('caseNote');
