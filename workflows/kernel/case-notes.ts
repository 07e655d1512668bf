/**
 * Every case accepts notes from other cases (`contracts/case-notes.ts`) into its audit trail, on
 * the `system` channel and naming the case they come from; a malformed one is recorded as refused.
 */
import { getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { caseNoteSignal, type CaseNote } from '../contracts/case-notes';
import type { Case } from './case';

const CASE_ID = /^[A-Z][A-Z0-9]{1,9}-[0-9]{4}-[0-9]{6,}$/;

function wellFormed(note: CaseNote | undefined): note is CaseNote {
  return (
    typeof note?.text === 'string' &&
    note.text.trim().length > 0 &&
    note.text.length <= 4000 &&
    typeof note.author === 'string' &&
    note.author.length > 0 &&
    typeof note.fromCaseId === 'string' &&
    CASE_ID.test(note.fromCaseId) &&
    typeof note.fromStep === 'string'
  );
}

export function registerCaseNotes(kase: Case): void {
  setHandler(caseNoteSignal, (note) => {
    if (!wellFormed(note)) {
      kase.emit('case.note-refused', { reason: 'a note needs text, author, fromCaseId and fromStep' });
      return;
    }
    kase.emit(
      'case.note',
      { text: note.text, fromCaseId: note.fromCaseId, fromStep: note.fromStep },
      { actor: note.author, channel: 'system' },
    );
  });
}

/**
 * Leaves a note on another case (journaled, so a run continued as new does not send it twice).
 * Returns whether it arrived: a case that has ended takes no notes.
 */
export async function noteOnCase(
  kase: Case,
  caseId: string,
  note: Omit<CaseNote, 'fromCaseId'>,
): Promise<boolean> {
  return kase.journaled(`note:${caseId}`, async () => {
    try {
      await getExternalWorkflowHandle(caseId).signal(caseNoteSignal, {
        ...note,
        fromCaseId: kase.state.caseId,
      });
      return true;
    } catch {
      return false;
    }
  });
}
