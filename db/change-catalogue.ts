/** The standard-change catalogue: low-risk templates an admin approved once (migration 0010). */
import type { Knex } from 'knex';

export interface StandardChange {
  id: string;
  name: string;
  changeType: string;
  /** Empty: any system. */
  systems: string[];
  riskLevel: 'low';
  implementationSteps: string[];
  rollbackSteps: string[];
  approvedBy: string | null;
  approvedAt: string | null;
  active: boolean;
}

interface Row {
  id: string;
  name: string;
  change_type: string;
  systems: string[];
  risk_level: 'low';
  implementation_steps: string[];
  rollback_steps: string[];
  approved_by: string | null;
  approved_at: Date | null;
  active: boolean;
}

export async function upsertStandardChange(
  db: Knex,
  template: Omit<StandardChange, 'riskLevel'>,
): Promise<void> {
  await db('standard_changes')
    .insert({
      id: template.id,
      name: template.name,
      change_type: template.changeType,
      systems: template.systems,
      implementation_steps: JSON.stringify(template.implementationSteps),
      rollback_steps: JSON.stringify(template.rollbackSteps),
      approved_by: template.approvedBy,
      approved_at: template.approvedAt,
      active: template.active,
      updated_at: db.fn.now(),
    })
    .onConflict('id')
    .merge();
}

/** The template, if it is approved, active and covers every system the change touches. */
export async function approvedStandardChange(
  db: Knex,
  id: string,
  systems: string[],
): Promise<StandardChange | null> {
  const row = await db<Row>('standard_changes')
    .where({ id, active: true })
    .whereNotNull('approved_by')
    .first();
  if (!row) return null;
  if (row.systems.length > 0 && !systems.every((s) => row.systems.includes(s))) return null;
  return {
    id: row.id,
    name: row.name,
    changeType: row.change_type,
    systems: row.systems,
    riskLevel: row.risk_level,
    implementationSteps: row.implementation_steps,
    rollbackSteps: row.rollback_steps,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at ? row.approved_at.toISOString() : null,
    active: row.active,
  };
}
