/** Who may read a case through the step it has just opened, before the read model shows it. */
import { mayReadAsAssignee, type CaseReader } from '../../db/case-access';

const reader = (over: Partial<CaseReader>): CaseReader =>
  ({ id: 'u1', roles: ['tester'], vendorId: null, departmentId: null, ...over }) as CaseReader;

test('a person a pending step names, or who holds the role queue it waits in, may read', () => {
  expect(mayReadAsAssignee(reader({}), ['u1'])).toBe(true);
  expect(mayReadAsAssignee(reader({}), ['role:tester'])).toBe(true);
});

test('anyone else may not, and vendor staff never through a role queue', () => {
  expect(mayReadAsAssignee(reader({}), ['u2', 'role:ops_head'])).toBe(false);
  expect(mayReadAsAssignee(reader({}), [])).toBe(false);
  // Another department's head does not read a case waiting in the department-head queue.
  expect(mayReadAsAssignee(reader({ roles: ['department_head'] }), ['role:department_head'])).toBe(false);
  expect(
    mayReadAsAssignee(reader({ vendorId: 'v1', roles: ['vendor_engineer'] }), ['role:vendor_engineer']),
  ).toBe(false);
  expect(mayReadAsAssignee(reader({ vendorId: 'v1' }), ['u1'])).toBe(true);
});
