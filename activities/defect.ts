/** What the defect process reads: the system's vendor and its project managers (who assign an unowned defect). */
import type { Knex } from 'knex';
import { defectParties, type DefectParties } from '../db/defect';

export function createDefectActivities(db: Knex) {
  return {
    async defectParties(input: { system: string }): Promise<DefectParties> {
      return defectParties(db, input.system);
    },
  };
}
