/** What the release process reads and writes outside its case: the systems' configuration records. */
import type { Knex } from 'knex';
import { recordReleasedVersions, type ReleasedVersion } from '../db/release';

export function createReleaseActivities(db: Knex) {
  return {
    /** 004 §7.6.1 d: on formal operation each system's version and go-live date; idempotent per release. */
    async recordReleasedVersions(input: {
      caseId: string;
      systems: Array<{ systemId: string; version: string }>;
      wentLiveAt: string;
      acceptedAt: string;
    }): Promise<ReleasedVersion[]> {
      return recordReleasedVersions(db, input);
    },
  };
}
