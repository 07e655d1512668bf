/**
 * Checks a task's form against master data as it stands when the form is sent, before the Update
 * goes to the case: a step's own form check runs on what was read when the step opened (workflow
 * code cannot read the database), so a freeze declared since would slip through it (issue 9.1).
 * One optional check per `<process>.<step>`; the rule itself lives in workflows/contracts/.
 * The case checks the window again after it is accepted and once more at go-live.
 */
import type { Knex } from 'knex';
import { createChangeActivities } from '../activities/change-management';
import { unknownActionOwners } from '../db/vendor-review';
import { checkSchedule } from '../workflows/contracts/change-schedule';
import { validateForm, type FormError } from '../workflows/contracts/form-schema';
import type { CaseView } from '../workflows/contracts/messages';
import { RefusalError } from './errors';

type StepCheck = (
  db: Knex,
  view: CaseView,
  form: Record<string, unknown>,
  asOf: number,
) => Promise<FormError[]>;

const checks: Readonly<Record<string, StepCheck>> = {
  // 001 §17(2): the freeze periods and maintenance windows in force now, not when scheduling opened.
  'change.scheduling': async (db, view, form, asOf) => {
    const systems = Array.isArray(view.fields.affectedSystems) ? view.fields.affectedSystems.map(String) : [];
    const rules = await createChangeActivities(db).loadChangeScheduleRules({
      systems,
      emergency: view.fields.urgency === 'emergency',
      now: new Date(asOf).toISOString(),
    });
    return checkSchedule(form, rules, asOf);
  },
  // 002 §6.4 b: a corrective action's owner is a person of the directory who is told and chased.
  'vendor-review.scoring': (db, _view, form) => unknownActionOwners(db, form),
  'vendor-review.reviseScoring': (db, _view, form) => unknownActionOwners(db, form),
};

/** The name of a step without its round: `scheduling#2` → `scheduling`. */
const stepName = (step: string) => step.replace(/#\d+$/, '');

/** Whether any process checks a step of this name when it is completed. */
export function hasStepCheck(step: string): boolean {
  return Object.keys(checks).some((key) => key.endsWith(`.${stepName(step)}`));
}

/** Throws `FORM_REFUSED` (422) naming each field the master data in force refuses. */
export async function checkStepForm(
  db: Knex,
  view: CaseView,
  step: string,
  form: Record<string, unknown>,
  asOf: number,
): Promise<void> {
  const check = checks[`${view.process}.${stepName(step)}`];
  const pending = view.pendingSteps.find((s) => s.step === step);
  if (!check || !pending) return;
  // A form its schema refuses is the case's to answer (FORM_INVALID naming the paths).
  if (pending.formSchema && !validateForm(pending.formSchema, form).ok) return;
  const errors = await check(db, view, form, asOf);
  if (errors.length > 0) {
    throw new RefusalError('FORM_REFUSED', errors.map((e) => e.message).join('; '), { errors });
  }
}
