/**
 * What the scorer sees beside each of the four dimensions (002 §6.6.3.8 e): the measured figures
 * of that dimension, the satisfaction survey (service quality) and the corrective actions still
 * open from earlier reviews (project management). Pure functions of the case's inputs.
 */
import type { Case } from '../kernel';
import { SURVEY_QUESTIONS, type DimensionName } from './forms';
import type { SurveyContact } from './steps';

type Measured = Awaited<ReturnType<Case['lookup']['vendorReviewFigures']>>;
type Figure = Measured['figures'][number];
type OpenAction = NonNullable<
  Awaited<ReturnType<Case['lookup']['vendorReviewScope']>>
>['openActions'][number];

export interface SurveyResponse {
  departmentId: string;
  departmentName: string;
  by: string;
  at: string;
  channel: string;
  ratings: Record<string, number>;
  comment: string | null;
}

export interface SatisfactionSummary {
  surveyed: number;
  answered: number;
  /** answered / surveyed; null (with `missing`) when no department could be surveyed. */
  responseRate: number | null;
  /** Mean rating per question over the answers; null when nobody answered. */
  averages: Record<string, number | null>;
  missing: string | null;
  responses: SurveyResponse[];
  unanswered: string[];
  /** Departments owning a system of the vendor without a head in the directory to ask. */
  notSurveyed: string[];
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

export function surveySummary(
  contacts: SurveyContact[],
  unreachable: Array<{ departmentId: string }>,
  responses: SurveyResponse[],
): SatisfactionSummary {
  const answered = responses.length;
  const averages = Object.fromEntries(
    SURVEY_QUESTIONS.map((q) => [
      q,
      answered === 0 ? null : round(responses.reduce((sum, r) => sum + (r.ratings[q] ?? 0), 0) / answered, 2),
    ]),
  );
  return {
    surveyed: contacts.length,
    answered,
    responseRate: contacts.length === 0 ? null : round(answered / contacts.length),
    averages,
    missing:
      contacts.length === 0
        ? 'no business department with a head in the directory owns a system of the vendor'
        : answered === 0
          ? 'no department answered the survey'
          : null,
    responses,
    unanswered: contacts
      .filter((c) => !responses.some((r) => r.departmentId === c.departmentId))
      .map((c) => c.departmentId),
    notSurveyed: unreachable.map((u) => u.departmentId),
  };
}

export interface ScorecardLine {
  key: string;
  value: number | null;
  target: number | null;
  missing: string | null;
  cases: number;
}

export function scorecard(
  figures: Figure[],
  satisfaction: SatisfactionSummary,
  openActions: OpenAction[],
): Record<DimensionName, ScorecardLine[]> {
  const lines: Record<DimensionName, ScorecardLine[]> = {
    projectManagement: [],
    technicalCapability: [],
    serviceQuality: [],
    staffing: [],
  };
  for (const f of figures) {
    lines[f.dimension].push({
      key: f.key,
      value: f.value,
      target: f.target,
      missing: f.missing,
      cases: f.caseIds.length,
    });
  }
  lines.serviceQuality.push(
    {
      key: 'satisfaction.responseRate',
      value: satisfaction.responseRate,
      target: null,
      missing: satisfaction.surveyed === 0 ? satisfaction.missing : null,
      cases: 0,
    },
    {
      key: 'satisfaction.overall',
      value: satisfaction.averages.overall ?? null,
      target: null,
      missing: satisfaction.answered === 0 ? satisfaction.missing : null,
      cases: 0,
    },
  );
  lines.projectManagement.push({
    key: 'correctiveActions.openFromEarlierReviews',
    value: openActions.length,
    target: 0,
    missing: null,
    cases: new Set(openActions.map((a) => a.reviewCaseId)).size,
  });
  return lines;
}
