/** The roles of the specification; the database refuses any other (migration 0001). */
export const ROLES = [
  'requester',
  'department_head',
  'ops_engineer',
  'ops_head',
  'developer',
  'tester',
  'security_officer',
  'pmo',
  'it_head',
  'vendor_engineer',
  'vendor_pm',
  'receiving_unit',
  'auditor',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];
