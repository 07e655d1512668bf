/**
 * The knowledge base (000 "知识库", 004 §6.2, §7.3.1 e, 002 §6.6.2 e): entries of problem,
 * symptoms, cause and solution, each edit a new version kept for good (004 §6.2.2 e: update
 * records), each version reviewed before it is published (§6.2.2 d: entry and approval records).
 *
 * `search_document` is the version's text as PostgreSQL full-text search reads it, built by
 * `db/knowledge-text.ts` (Chinese segmented by ICU words plus character bigrams, other text by the
 * English configuration), weighted A title and problem, B symptoms, systems and tags, C cause,
 * D solution. Search joins it to the entry's published version only.
 */
import type { Knex } from 'knex';
import type { NamedMigration } from './index';

export const knowledgeBase: NamedMigration = {
  name: '0085_knowledge_base',
  async up(knex: Knex) {
    await knex.raw(`
      CREATE SEQUENCE knowledge_entry_numbers;
      CREATE TABLE knowledge_entries (
        id                text PRIMARY KEY,
        created_by        text NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        -- The version readers see; null until a version is approved.
        published_version integer NULL,
        published_at      timestamptz NULL,
        latest_version    integer NOT NULL
      );
      CREATE TABLE knowledge_entry_versions (
        entry_id        text NOT NULL REFERENCES knowledge_entries (id) ON DELETE CASCADE,
        version         integer NOT NULL CHECK (version >= 1),
        title           text NOT NULL,
        problem         text NOT NULL,
        symptoms        text NOT NULL DEFAULT '',
        cause           text NOT NULL DEFAULT '',
        solution        text NOT NULL,
        systems         text[] NOT NULL DEFAULT '{}',
        tags            text[] NOT NULL DEFAULT '{}',
        source_cases    text[] NOT NULL DEFAULT '{}',
        -- Where the text came from: written by hand, or proposed from a case of this process.
        origin          text NOT NULL CHECK (origin IN ('manual', 'defect', 'emergency', 'change')),
        status          text NOT NULL
          CHECK (status IN ('in_review', 'published', 'superseded', 'rejected', 'returned')),
        -- The knowledge review case (KNB-…) that decides on this version.
        review_case_id  text NULL,
        author          text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        decided_by      text NULL,
        decided_at      timestamptz NULL,
        search_document tsvector NOT NULL,
        PRIMARY KEY (entry_id, version)
      );
      -- One review at a time per entry: an edit while one is open would fork the text.
      CREATE UNIQUE INDEX knowledge_one_review_per_entry
        ON knowledge_entry_versions (entry_id) WHERE status = 'in_review';
      CREATE INDEX knowledge_versions_by_review_case ON knowledge_entry_versions (review_case_id);
      CREATE INDEX knowledge_versions_search ON knowledge_entry_versions USING gin (search_document);
      CREATE INDEX knowledge_versions_systems ON knowledge_entry_versions USING gin (systems);
    `);
    // The review step: five working days, as a problem's write-up is not urgent; then the O&M head's superior.
    await knex('sla_policies')
      .insert({
        id: 'knowledge.knowledgeReview',
        process: 'knowledge',
        stage: 'knowledgeReview',
        priority: '*',
        basis: 'working-days',
        duration: 'P5D',
        warn_ratio: 0.75,
        calendar_id: 'default',
        escalation: JSON.stringify([
          { level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] },
          { level: 2, after: 'P2D', notify: [{ role: 'it_head' }] },
        ]),
        active: true,
      })
      .onConflict('id')
      .ignore();
    await knex('sla_policies')
      .insert({
        id: 'knowledge.revision',
        process: 'knowledge',
        stage: 'knowledgeRevision',
        priority: '*',
        basis: 'working-days',
        duration: 'P5D',
        warn_ratio: 0.75,
        calendar_id: 'default',
        escalation: JSON.stringify([{ level: 1, after: 'PT0S', notify: [{ role: 'ops_head' }] }]),
        active: true,
      })
      .onConflict('id')
      .ignore();
  },
  async down(knex: Knex) {
    await knex('sla_policies').whereIn('id', ['knowledge.knowledgeReview', 'knowledge.revision']).delete();
    await knex.raw(`
      DROP TABLE knowledge_entry_versions;
      DROP TABLE knowledge_entries;
      DROP SEQUENCE knowledge_entry_numbers;
    `);
  },
};
