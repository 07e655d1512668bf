/** Emergency response master data: event levels and the emergency command group. */
import type { Knex } from 'knex';

export interface EmergencyLevel {
  code: string;
  /** 1 is the most severe. */
  rank: number;
  name: { en: string; 'zh-CN': string };
  convenesCommandGroup: boolean;
}

export async function emergencyLevels(db: Knex): Promise<EmergencyLevel[]> {
  const rows = await db('emergency_levels').where({ active: true }).orderBy('rank');
  return rows.map((r: Record<string, unknown>) => ({
    code: String(r.code),
    rank: Number(r.rank),
    name: { en: String(r.name_en), 'zh-CN': String(r.name_zh) },
    convenesCommandGroup: r.convenes_command_group === true,
  }));
}

/** The roles the emergency command group is made of. */
export async function emergencyCommandGroup(db: Knex): Promise<string[]> {
  const rows = await db('emergency_command_group').orderBy('role');
  return rows.map((r: { role: string }) => r.role);
}

/** An annual drill of one system (table `drill_schedules`). */
export interface DrillSchedule {
  id: string;
  system: string;
  title: string;
  emergencyPlan: string;
  cron: string;
  timeZone: string;
  requester: string;
}

export async function activeDrillSchedules(db: Knex): Promise<DrillSchedule[]> {
  const rows = await db('drill_schedules').where({ active: true }).orderBy('id');
  return rows.map((r: Record<string, string>) => ({
    id: r.id,
    system: r.system,
    title: r.title,
    emergencyPlan: r.emergency_plan,
    cron: r.cron,
    timeZone: r.time_zone,
    requester: r.requester,
  }));
}
