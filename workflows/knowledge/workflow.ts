/**
 * A knowledge entry's version is reviewed before it is published (004 §6.2.2 d, §7.3.1 e): the O&M
 * head approves — the entry's current text becomes this version — rejects it, or sends it back;
 * the author revises (a new version, the old one kept as `returned`) and the review runs again.
 */
import { approvalWithRevisions, runProcess, task, type CaseInput } from '../kernel';
import { knowledgeDefinition } from './definition';
import * as steps from './steps';

export async function knowledgeReview(input: CaseInput) {
  return runProcess(knowledgeDefinition, input, async (kase, request) => {
    const { entryId } = request;
    let version = request.version;
    await kase.enterStage('review');
    const decided = await approvalWithRevisions(kase, steps.knowledgeReview, async () => {
      const revised = await task(kase, steps.reviseEntry(kase.state.requester));
      version = await kase.lookup.reviseKnowledgeVersion({
        entryId,
        basedOn: version,
        changes: revised.form,
        author: revised.completedBy,
        caseId: kase.state.caseId,
      });
      await kase.setFields({ version });
    });
    const decidedBy = decided.decisions[decided.decisions.length - 1]?.actor ?? null;
    if (decided.outcome === 'approved') {
      await kase.lookup.publishKnowledgeVersion({ entryId, version, decidedBy });
      await kase.setFields({ publishedVersion: version });
      return kase.close('published', { entryId, version });
    }
    await kase.lookup.closeKnowledgeVersion({ entryId, version, status: 'rejected', decidedBy });
    await kase.close('rejected', { entryId, version });
  });
}
