/**
 * The build-to-run handover (运行维护交接), as 002 §6.6.3.5 lays it down: the parties and their
 * responsibilities are named (b); the delivering party writes the handover plan — scope, risk
 * handling, responsibilities, standards, procedure, schedule, archives, knowledge transfer (c, f) —
 * the O&M head approves it and the receiving unit accepts it. Then, side by side, every deliverable
 * of the checklist (g, with the asset records of d) is delivered with a reference and accepted or
 * returned with reasons by the receiving unit, item by item, each on its own clock; and every
 * knowledge-transfer session is announced a week ahead, recorded by its date (chased when it is
 * not), answered with feedback and, where planned, assessed (h; 003 (七) 6). Only when every item is
 * accepted and every session done is the archive handed to the receiving unit (e), and the system's
 * O&M owner in master data becomes the receiving unit, from that date.
 */
import {
  approval,
  approvalWithRevisions,
  runProcess,
  task,
  waitUntil,
  type Case,
  type CaseInput,
} from '../kernel';
import type { StepRecord } from '../kernel/case-state';
import type { Wording } from '../contracts/process-definition';
import { handoverDefinition } from './definition';
import type { HandoverPlan, PlannedSession } from './forms';
import type { HandoverRequest } from './request-form';
import * as steps from './steps';

const WEEK = 7 * 24 * 3600_000;

export async function handoverProcess(input: CaseInput) {
  // The steps named at run time join the definition's titles as they become known (this run's copy).
  const titles: Record<string, Wording> = { ...handoverDefinition.steps };
  return runProcess({ ...handoverDefinition, steps: titles }, input, async (kase, request) => {
    const lead = request.deliveringParty.lead;
    const contact = request.receivingUnit.contact;
    // Both decided before the first kernel call: a case started earlier keeps its path.
    const bilingual = kase.patched('handover-bilingual-step-titles');
    // The project's code or contract number is how people outside Opsflow name the handover: an
    // admin finds the case by it in the Temporal UI (`OpsBusinessKey`, upserted with the next event).
    if (kase.patched('handover-business-key') && request.projectRef)
      kase.state.businessKey = request.projectRef;
    kase.onStepOverdue((step) => sessionLate(kase, step, contact));

    // b: the parties. The receiving unit and the delivering party read the case as participants.
    await kase.record('case.participants-added', {
      participants: partiesOf(request),
      deliveringParty: request.deliveringParty,
      receivingUnit: request.receivingUnit,
    });
    const checklist = await kase.lookup.handoverChecklist();
    if (bilingual) checklist.forEach((item) => Object.assign(titles, steps.deliverableTitles(item)));
    await kase.setFields({ checklist });

    const plan = await agreedPlan(kase, lead, contact);
    if (plan === 'rejected') return kase.close('rejected', { stage: 'planApproval' });
    if (plan === 'refused') return kase.close('refused_by_receiving_unit', { stage: 'planAcceptance' });

    await kase.enterStage('transfer');
    const dueAt = new Map((plan.deliverableDueDates ?? []).map((d) => [d.item, d.dueAt]));
    const register = new Register('deliverables');
    const sessions = new Register('sessions');
    checklist.forEach((item) => register.set(item.code, { ...item, status: 'open', rounds: [] }));
    plan.knowledgeTransfer.sessions.forEach((s, i) => {
      sessions.set(`session-${i + 1}`, { ...s, status: 'planned' });
      if (bilingual) Object.assign(titles, steps.sessionTitles(i, s));
    });
    await register.save(kase);
    await sessions.save(kase);
    // Each item and each session is a branch of its own: its calls are journaled under its name.
    await Promise.all([
      ...checklist.map((item) =>
        deliveredAndAccepted(
          kase.branch(`item:${item.code}`),
          register,
          item,
          lead,
          contact,
          dueAt.get(item.code),
          !bilingual,
        ),
      ),
      ...plan.knowledgeTransfer.sessions.map((s, i) =>
        knowledgeTransfer(kase.branch(`session-${i + 1}`), sessions, i, s, lead, contact),
      ),
    ]);

    // e: every item accepted (each loop above ends only so), every session done: the archive goes over.
    await kase.enterStage('completion');
    const archived = await task(kase, steps.archiveTransfer(lead));
    const archive = { ...archived.form, by: archived.completedBy, at: archived.occurredAt };
    await kase.setFields({ archive });
    await kase.record('handover.archive-transferred', archive, {
      notify: [
        {
          to: [{ userId: contact }, { role: 'ops_head' }],
          template: 'handover-archive',
          data: { ...archive, system: request.systemId, deliverables: register.entries() },
        },
      ],
    });
    const owner = await kase.lookup.transferSystemOpsOwner({
      systemId: request.systemId,
      departmentId: request.receivingUnit.departmentId,
      caseId: kase.state.caseId,
      at: new Date(Date.now()).toISOString(),
      timeZone: kase.state.timeZone,
    });
    await kase.setFields({ opsOwner: owner });
    await kase.close('handed_over', {
      system: request.systemId,
      opsOwner: owner.departmentId,
      opsOwnerSince: owner.since,
    });
  });
}

/** Directory keys that open the case to the two units (db/case-access.ts). */
function partiesOf(request: HandoverRequest): string[] {
  const delivering = request.deliveringParty;
  return [
    `department:${request.receivingUnit.departmentId}`,
    delivering.kind === 'vendor' ? `vendor:${delivering.vendorId}` : `department:${delivering.departmentId}`,
  ];
}

// ---------------------------------------------------------------- the plan (b, c, f)

async function agreedPlan(
  kase: Case,
  lead: string,
  contact: string,
): Promise<HandoverPlan | 'rejected' | 'refused'> {
  await kase.enterStage('planning');
  const written = await task(kase, steps.handoverPlan(lead));
  let plan = written.form;
  await kase.setFields({ plan, plannedBy: written.completedBy });
  const revisions: Array<Record<string, unknown>> = [];
  const revise = async (comments: string[]) => {
    await kase.enterStage('planRevision');
    const revised = await task(kase, steps.revisePlan(lead));
    plan = { ...plan, ...revised.form };
    revisions.push({ comments, changed: revised.form, by: revised.completedBy, at: revised.occurredAt });
    await kase.setFields({ plan, planRevisions: revisions });
  };
  for (;;) {
    await kase.enterStage('planApproval');
    const head = await approvalWithRevisions(kase, steps.planApproval, async (comments) => {
      await revise(comments);
      await kase.enterStage('planApproval');
    });
    if (head.outcome !== 'approved') return 'rejected';
    await kase.enterStage('planAcceptance');
    const unit = await approval(kase, steps.planAcceptance(contact));
    const decision = unit.decisions[unit.decisions.length - 1];
    await kase.setFields({
      planAcceptance: { outcome: unit.outcome, by: decision.actor, comment: decision.comment },
    });
    if (unit.outcome === 'approved') return plan;
    if (unit.outcome === 'rejected') return 'refused';
    await revise(unit.decisions.map((d) => d.comment ?? '').filter(Boolean));
  }
}

// ---------------------------------------------------------------- deliverables (g, d)

/** One checklist item: delivered, then accepted or returned with reasons, until accepted. */
async function deliveredAndAccepted(
  kase: Case,
  register: Register,
  item: steps.ChecklistItem,
  lead: string,
  contact: string,
  plannedDueAt: string | undefined,
  legacyTitles: boolean,
): Promise<void> {
  const rounds: Array<Record<string, unknown>> = [];
  for (let round = 1; ; round++) {
    // The plan's date holds for the first delivery; a returned item gets the policy's time again.
    const delivered = await task(
      kase,
      steps.delivery(item, lead, round === 1 ? plannedDueAt : undefined, legacyTitles),
    );
    register.set(item.code, {
      ...item,
      status: 'delivered',
      rounds: [...rounds, { round, ...delivered.form }],
    });
    await register.save(kase);
    const reviewed = await task(kase, steps.acceptance(item, contact, legacyTitles));
    rounds.push({
      round,
      ...delivered.form,
      deliveredBy: delivered.completedBy,
      deliveredAt: delivered.occurredAt,
      verdict: reviewed.form.verdict,
      reasons: reviewed.form.reasons ?? null,
      reviewedBy: reviewed.completedBy,
      reviewedAt: reviewed.occurredAt,
    });
    const accepted = reviewed.form.verdict === 'accepted';
    register.set(item.code, { ...item, status: accepted ? 'accepted' : 'returned', rounds });
    await register.save(kase);
    if (accepted) return;
    await kase.record(
      'handover.deliverable-returned',
      { item: item.code, round, reasons: reviewed.form.reasons },
      {
        notify: [
          {
            to: [{ userId: lead }],
            template: 'handover-deliverable-returned',
            data: {
              item: item.code,
              itemName: item.nameZh,
              itemNameEn: item.nameEn,
              round,
              reasons: reviewed.form.reasons,
            },
          },
        ],
      },
    );
  }
}

// ---------------------------------------------------------------- knowledge transfer (f, h; 003 (七) 6)

/** One planned session: announced a week ahead, recorded by its date, answered, assessed; held again if failed. */
async function knowledgeTransfer(
  kase: Case,
  register: Register,
  index: number,
  session: PlannedSession,
  lead: string,
  contact: string,
): Promise<void> {
  const key = `session-${index + 1}`;
  const held: Array<Record<string, unknown>> = [];
  let plannedAt = session.plannedAt;
  for (let round = 1; ; round++) {
    register.set(key, { ...session, plannedAt, status: 'planned', held });
    await register.save(kase);
    // 003 (七) 6 (3): the notice goes out a week before the session.
    const noticeAt = Date.parse(plannedAt) - WEEK;
    if (noticeAt > Date.now()) await waitUntil(kase, `${key}-notice`, noticeAt);
    await kase.record(
      'handover.session-notice',
      { session: index + 1, round, topic: session.topic, plannedAt },
      {
        notify: [
          {
            to: [{ userId: contact }, { userId: lead }],
            template: 'handover-session-notice',
            data: { ...session, session: index + 1, plannedAt },
          },
        ],
      },
    );
    const recorded = await task(kase, steps.sessionRecord(index, session, lead, endOfDay(plannedAt)));
    const feedback = await task(kase, steps.sessionFeedback(index, session, contact));
    const assessed = session.assessment
      ? await task(kase, steps.sessionAssessment(index, session, contact))
      : null;
    held.push({
      round,
      plannedAt,
      ...recorded.form,
      recordedBy: recorded.completedBy,
      // Chased: its record was still missing at the end of the planned day.
      chased: lateSteps(kase).includes(round === 1 ? key : `${key}#${round}`),
      feedback: { ...feedback.form, by: feedback.completedBy },
      assessment: assessed ? { ...assessed.form, by: assessed.completedBy } : null,
    });
    const passed = !assessed || assessed.form.passed;
    register.set(key, { ...session, plannedAt, status: passed ? 'done' : 'retraining', held });
    await register.save(kase);
    if (passed || !assessed?.form.retrainAt) return;
    plannedAt = assessed.form.retrainAt;
  }
}

/** "Held by its date": the record is due at the end of the planned day, in the plan's own offset. */
function endOfDay(plannedAt: string): string {
  const offset = /([+-]\d{2}:\d{2}|[Zz])$/.exec(plannedAt)?.[1] ?? 'Z';
  return new Date(`${plannedAt.slice(0, 10)}T23:59:59${offset}`).toISOString();
}

/** A session still unrecorded after its planned end: the receiving unit hears of it once per round. */
function sessionLate(kase: Case, step: StepRecord, contact: string): void {
  if (!step.name.startsWith('session-')) return;
  const late = lateSteps(kase);
  if (late.includes(step.key)) return;
  kase.state.fields.lateSessions = [...late, step.key];
  const data = {
    step: step.key,
    stepTitle: step.title,
    dueAt: step.sla ? new Date(step.sla.dueAt).toISOString() : null,
  };
  kase.emit('handover.session-late', data, {
    notify: [{ to: [{ userId: contact }], template: 'handover-session-late', data }],
  });
}

function lateSteps(kase: Case): string[] {
  const late = kase.state.fields.lateSessions;
  return Array.isArray(late) ? late.map(String) : [];
}

/** The case's register of items or sessions, kept in its fields: each save is one audited copy. */
class Register {
  private readonly byKey: Record<string, Record<string, unknown>> = {};
  constructor(private readonly field: string) {}

  set(key: string, entry: Record<string, unknown>): void {
    this.byKey[key] = entry;
  }

  entries(): Array<Record<string, unknown>> {
    return Object.values(this.byKey).map((e) => JSON.parse(JSON.stringify(e)) as Record<string, unknown>);
  }

  /** Saved by the branch that changed it, so the call is journaled in that branch. */
  async save(by: Case): Promise<void> {
    await by.setFields({ [this.field]: this.entries() });
  }
}
