import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { timeSkippingEnvironment, workflowBundlePath } from '../support/temporal';

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnvironment();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('an eight-hour timer completes in seconds of wall time and advances server time by eight hours', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'time-skipping-proof',
      workflowBundle: { codePath: workflowBundlePath() },
    });
    const wallStart = Date.now();
    const serverStart = await env.currentTimeMs();
    const slept = await worker.runUntil(
      env.client.workflow.execute('eightHourSleeper', {
        taskQueue: 'time-skipping-proof',
        workflowId: 'sleeper-8h',
      }),
    );
    const wallMs = Date.now() - wallStart;
    const eightHours = 8 * 3600_000;
    expect(slept).toBeGreaterThanOrEqual(eightHours);
    expect((await env.currentTimeMs()) - serverStart).toBeGreaterThanOrEqual(eightHours);
    expect(wallMs).toBeLessThan(30_000);
  });
});
