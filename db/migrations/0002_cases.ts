/** The read model of a case (CaseProjection), for inboxes, lists, search and reports. */
import type { NamedMigration } from './index';

export const cases: NamedMigration = {
  name: '0002_cases',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE cases (
        case_id    text PRIMARY KEY,
        -- The last event seq this row reflects; a write with a lower version is stale.
        version    bigint NOT NULL CHECK (version >= 0),
        process    text NOT NULL,
        title      text NOT NULL,
        state      text NOT NULL,
        stage      text NOT NULL,
        priority   text NOT NULL,
        "system"   text NULL,
        requester  text NOT NULL,
        assignees  text[] NOT NULL DEFAULT '{}',
        due_at     timestamptz NULL,
        overdue    boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at  timestamptz NULL,
        fields     jsonb NOT NULL DEFAULT '{}'
      );

      -- Inbox, "waiting for me, soonest due first": find my open cases by assignee, order by due time.
      CREATE INDEX cases_open_by_assignee ON cases USING gin (assignees) WHERE state = 'open';
      CREATE INDEX cases_open_by_due ON cases (due_at) WHERE state = 'open';
      -- The overdue list is a small slice of all cases.
      CREATE INDEX cases_overdue_by_due ON cases (due_at) WHERE overdue;
      CREATE INDEX cases_by_process_state_stage ON cases (process, state, stage);
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE cases;');
  },
};
