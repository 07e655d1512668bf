/** What the handover process reads and writes outside its case: the checklist and the system's O&M owner. */
import type { Knex } from 'knex';
import {
  handoverChecklist,
  transferSystemOpsOwner,
  type ChecklistItem,
  type OpsOwnerChange,
} from '../db/handover';

export function createHandoverActivities(db: Knex) {
  return {
    /** 002 §6.6.3.5 g, d: the deliverables every handover owes, from master data. */
    async handoverChecklist(): Promise<ChecklistItem[]> {
      return handoverChecklist(db);
    },
    /** §e: the receiving unit becomes the system's O&M owner from the completion date; idempotent per case. */
    async transferSystemOpsOwner(input: {
      systemId: string;
      departmentId: string;
      caseId: string;
      at: string;
      timeZone: string;
    }): Promise<OpsOwnerChange> {
      return transferSystemOpsOwner(db, input);
    },
  };
}
