/**
 * The two kinds of release the regulation describes, as data of one procedure: a software go-live
 * (软件上线, 001 §28–31) owes a version-management table and a version build in its plan (§29(4));
 * a system release (系统发布, §32–35) rolls a front-end version out to the branches and tracks its
 * installation (§30(6)). Everything else — reviews, plan, execution, trial run, acceptance — is shared.
 */
import type { Wording } from '../contracts/process-definition';
import type { ReleaseKindName } from './request-form';

export interface ReleaseKind {
  title: Wording;
  clauses: string;
  /** Plan sections this kind must fill in besides the common ones. */
  planSections: ReadonlyArray<'versionManagementTable' | 'versionBuild' | 'frontEndRollout'>;
  /** Execution ends with tracking the front-end roll-out site by site. */
  tracksFrontEndRollout: boolean;
  /** The name its plan's form is published under (`release.<planForm>`). */
  planForm: string;
}

export const releaseKinds: Record<ReleaseKindName, ReleaseKind> = {
  go_live: {
    title: { en: 'Software go-live', 'zh-CN': '软件上线' },
    clauses: '001 §28–31',
    planSections: ['versionManagementTable', 'versionBuild'],
    tracksFrontEndRollout: false,
    planForm: 'releasePlanGoLive',
  },
  system_release: {
    title: { en: 'System release', 'zh-CN': '系统发布' },
    clauses: '001 §32–35',
    planSections: ['frontEndRollout'],
    tracksFrontEndRollout: true,
    planForm: 'releasePlanSystemRelease',
  },
};
