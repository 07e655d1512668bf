/** What the emergency process reads and starts: levels, the command group, a linked emergency change. */
import type { Knex } from 'knex';
import { allocateCaseNumber } from '../db/case-numbers';
import { getUser } from '../db/directory';
import { emergencyCommandGroup, emergencyLevels, type EmergencyLevel } from '../db/emergency';

export function createEmergencyActivities(db: Knex) {
  return {
    async emergencyLevels(): Promise<EmergencyLevel[]> {
      return emergencyLevels(db);
    },

    async emergencyCommandGroup(): Promise<string[]> {
      return emergencyCommandGroup(db);
    },

    /** The department a person belongs to (the requesting department of a linked change). */
    async departmentOf(input: { userId: string }): Promise<string | null> {
      return (await getUser(db, input.userId))?.departmentId ?? null;
    },

    /** A case number for a case a workflow opens (a linked emergency change), as the API allocates one. */
    async allocateCaseNumber(input: { prefix: string; at: string; timeZone: string }): Promise<string> {
      const year = Number(
        new Intl.DateTimeFormat('en', { timeZone: input.timeZone, year: 'numeric' }).format(
          new Date(input.at),
        ),
      );
      return allocateCaseNumber(db, input.prefix, year);
    },
  };
}
