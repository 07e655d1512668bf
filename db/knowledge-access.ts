/**
 * Who may read the knowledge base — one rule, applied in SQL to every read and search of it:
 *
 * - a published entry: every signed-in member of the internal staff; vendor staff only when it is
 *   tied to a system their vendor is contracted for (systems.vendor_id) or to no system at all;
 * - an entry's versions and its review state: whoever may read its published version, the authors
 *   of its versions, and the organisation-wide readers of cases (the O&M center reviews entries).
 *
 * An entry one may not read does not exist for them: the API answers 404.
 */
import type { Knex } from 'knex';
import { isVendorStaff, readsEveryCase, type CaseReader } from './case-access';

/** The published-text part of the rule, as a condition on `v` (the published version's row). */
export function publishedVisibleTo(reader: CaseReader | null): { sql: string; bindings: Knex.RawBinding[] } {
  if (!reader || !isVendorStaff(reader)) return { sql: 'true', bindings: [] };
  return {
    sql: `(cardinality(v.systems) = 0 OR EXISTS (
            SELECT 1 FROM systems s WHERE s.id = ANY(v.systems) AND s.vendor_id = ?))`,
    bindings: [reader.vendorId],
  };
}

/** Whether the reader may read the entry (any of its versions); `absent` when there is none. */
export async function knowledgeAccess(
  db: Knex,
  reader: CaseReader,
  entryId: string,
): Promise<'visible' | 'absent'> {
  const published = publishedVisibleTo(reader);
  const { rows } = (await db.raw(
    `SELECT (
        ?::boolean
        OR EXISTS (SELECT 1 FROM knowledge_entry_versions a WHERE a.entry_id = e.id AND a.author = ?)
        OR EXISTS (SELECT 1 FROM knowledge_entry_versions v
                    WHERE v.entry_id = e.id AND v.version = e.published_version AND ${published.sql})
      ) AS visible
       FROM knowledge_entries e WHERE e.id = ?`,
    [readsEveryCase(reader), reader.id, ...published.bindings, entryId],
  )) as { rows: Array<{ visible: boolean }> };
  return rows[0]?.visible ? 'visible' : 'absent';
}
