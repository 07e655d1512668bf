/**
 * Who may call what: the one table of route permissions. It answers "may this person use this
 * kind of operation at all"; whether they may act on a given step is the workflow's decision.
 */
import type { User } from '../db/directory';

export type Permission =
  /** Any signed-in person or integration. */
  | 'authenticated'
  /** Read cases, their history and the inbox. */
  | 'case:read'
  /** Decide, claim, reassign, complete: the kernel checks eligibility per step. */
  | 'case:act'
  /** Record something that happened offline (verbal authorisation, paper signature). */
  | 'case:record-offline'
  /** Re-plan a case's clocks against the current SLA policies. */
  | 'case:replan'
  /** Reports over every case (until the per-case access rule reaches reports). */
  | 'report:organisation'
  /** Configuration: users, roles, systems, SLA policies, calendars, API keys. */
  | 'admin';

const EVERYONE = null;

/** Roles that hold each permission; null means every authenticated person. */
const grants: Record<Permission, readonly string[] | null> = {
  authenticated: EVERYONE,
  'case:read': EVERYONE,
  // Auditors read everything and change nothing (spec, roles table).
  'case:act': EVERYONE,
  'case:record-offline': [
    'ops_engineer',
    'ops_head',
    'department_head',
    'it_head',
    'pmo',
    'security_officer',
  ],
  'case:replan': ['ops_head', 'admin'],
  'report:organisation': [
    'ops_head',
    'ops_engineer',
    'it_head',
    'security_officer',
    'pmo',
    'auditor',
    'admin',
  ],
  admin: ['admin'],
};

export function isAllowed(user: Pick<User, 'roles'>, permission: Permission): boolean {
  const roles = grants[permission];
  if (permission === 'case:act' && user.roles.length > 0 && user.roles.every((r) => r === 'auditor'))
    return false;
  return roles === null || user.roles.some((r) => roles.includes(r));
}

/** Processes list the roles that may open them; an empty list lets anyone signed in start one. */
export function mayStart(user: Pick<User, 'roles'>, starterRoles: readonly string[]): boolean {
  return starterRoles.length === 0 || user.roles.some((r) => starterRoles.includes(r));
}

export function describePermission(permission: Permission): string {
  const roles = grants[permission];
  if (permission === 'case:act')
    return 'any signed-in person except auditors; the case checks eligibility per step';
  return roles === null ? 'any signed-in person' : `roles: ${roles.join(', ')}`;
}
