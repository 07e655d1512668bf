/** What the knowledge review writes outside its case: the entry's versions (db/knowledge.ts). */
import type { Knex } from 'knex';
import { closeVersion, publishVersion, reviseVersion, type KnowledgeContent } from '../db/knowledge';

export function createKnowledgeActivities(db: Knex) {
  return {
    /** Approved: the version becomes the entry's current text; idempotent. */
    async publishKnowledgeVersion(input: {
      entryId: string;
      version: number;
      decidedBy: string | null;
    }): Promise<{ published: boolean }> {
      return publishVersion(db, input);
    },
    /** Rejected: the version stays on record, never published; idempotent. */
    async closeKnowledgeVersion(input: {
      entryId: string;
      version: number;
      status: 'rejected' | 'returned';
      decidedBy: string | null;
    }): Promise<void> {
      await closeVersion(db, input);
    },
    /** Sent back and revised: the revision is the next version under the same review; idempotent. */
    async reviseKnowledgeVersion(input: {
      entryId: string;
      basedOn: number;
      changes: Partial<KnowledgeContent>;
      author: string;
      caseId: string;
    }): Promise<number> {
      return reviseVersion(db, input);
    },
  };
}
