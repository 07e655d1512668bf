/**
 * Who took part in a case: the people who acted on it and the people and role queues it was ever
 * assigned to. The case-access rule (db/case-access.ts) joins it by index instead of scanning the
 * audit trail's JSON. Written with the audit rows, in the same transaction; filled here once from
 * the trail and the read model for cases recorded before it existed.
 */
import type { NamedMigration } from './index';

export const caseParticipants: NamedMigration = {
  name: '0025_case_participants',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE case_participants (
        case_id     text NOT NULL,
        -- A user id, or a role queue as 'role:<name>'.
        participant text NOT NULL,
        PRIMARY KEY (case_id, participant)
      );
      CREATE INDEX case_participants_by_participant ON case_participants (participant, case_id);

      INSERT INTO case_participants (case_id, participant)
      SELECT case_id, actor FROM case_events WHERE actor IS NOT NULL
      UNION
      SELECT case_id, jsonb_array_elements_text(data->'assignees') FROM case_events
       WHERE type = 'step.opened' AND jsonb_typeof(data->'assignees') = 'array'
      UNION
      SELECT case_id, data->>'to' FROM case_events
       WHERE type IN ('task.reassigned', 'step.delegated') AND jsonb_typeof(data->'to') = 'string'
      UNION
      SELECT case_id, unnest(assignees) FROM cases
      ON CONFLICT DO NOTHING;

      -- The access rule's other joins: a case's requester (their department), its system (its vendor).
      CREATE INDEX cases_by_requester ON cases (requester);
      CREATE INDEX cases_by_system ON cases ("system");
      CREATE INDEX users_by_department ON users (department_id);
    `);
  },
  async down(knex) {
    await knex.raw(`
      DROP INDEX users_by_department; DROP INDEX cases_by_system; DROP INDEX cases_by_requester;
      DROP TABLE case_participants;
    `);
  },
};
