/** Emergency response (应急响应, 004 §8.1) as the rest of Opsflow sees it; `workflow.ts` is the procedure. */
import { defineProcess } from '../contracts/process-definition';
import { emergencyStepForms } from './forms';
import { emergencyEventSchema, type EmergencyEvent } from './request-form';

/** The response clocks, one SLA stage each, opened in parallel when the event is registered. */
export const CLOCK_STAGES = [
  'onsiteResponse',
  'onsiteArrival',
  'onsiteResolution',
  'remoteResponse',
  'diagnosisReport',
  'diagnosis',
  'resolution',
] as const;

export const emergencyDefinition = defineProcess<EmergencyEvent>({
  name: 'emergency',
  title: { en: 'Emergency response', 'zh-CN': '应急响应' },
  workflowType: 'emergencyResponse',
  casePrefix: 'EMG',
  startSchema: emergencyEventSchema,
  starterRoles: [],
  // The case's priority is the event's level: the level chooses the response windows.
  headline: (event) => ({
    title: event.title,
    priority: event.level,
    system: event.affectedSystems[0] ?? null,
  }),
  stages: {
    dispatch: [...CLOCK_STAGES, 'dispatch'],
    investigation: [],
    communication: ['communication'],
    handling: [],
    // 004 §8.1.1 c: a manual escalation (the level raised by hand) shows here until the procedure moves
    // on; a step the procedure opens meanwhile (a revision, an improvement action) keeps its own SLA stage.
    escalation: [
      ...CLOCK_STAGES,
      'dispatch',
      'communication',
      'recoveryReport',
      'recoveryReportApproval',
      'summaryReport',
      'improvement',
    ],
    recoveryReport: ['recoveryReport', 'recoveryReportApproval'],
    summaryReport: ['summaryReport'],
    improvement: ['improvement'],
  },
  forms: emergencyStepForms,
  templates: ['emergency-command-group', 'emergency-level-raised', 'emergency-change-opened'],
});
