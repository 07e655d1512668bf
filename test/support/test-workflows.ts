/** The workflow bundle of the tests: every product workflow, plus the few that exist only to test the platform. */
import { sleep } from '@temporalio/workflow';
import { approval, runCase, task, type ApprovalSpec, type CaseInput } from '../../workflows/kernel';

export * from '../../workflows';

/** Proves the time-skipping server: eight hours of workflow time, seconds of wall time. */
export async function eightHourSleeper(): Promise<number> {
  const start = Date.now();
  await sleep('8 hours');
  return Date.now() - start;
}

/** One approval gate of any shape, so each gate rule can be driven through real Updates. */
export async function gateUnderTest(input: CaseInput, spec: ApprovalSpec) {
  return runCase(input, async (kase) => {
    await kase.enterStage(spec.step);
    const result = await approval(kase, spec);
    await kase.close(result.outcome);
  });
}

/** Work by an implementer, then a review that must not be theirs (or their vendor's) to approve. */
export async function implementThenReview(input: CaseInput) {
  return runCase(input, async (kase) => {
    await kase.enterStage('implementation');
    await task(kase, {
      step: 'implementation',
      title: 'Vendor implements the fix',
      assignee: 'role:vendor_engineer',
      recordsImplementer: true,
      formSchema: {
        type: 'object',
        required: ['result'],
        properties: { result: { enum: ['succeeded', 'failed'] } },
        additionalProperties: false,
      },
    });
    await kase.enterStage('review');
    const review = await approval(kase, {
      step: 'review',
      title: 'Review of the implemented work',
      levels: [{ approvers: ['role:vendor_engineer', 'role:ops_head'], mode: 'any' }],
      checks: ['implementer', 'vendor'],
    });
    await kase.close(review.outcome);
  });
}
