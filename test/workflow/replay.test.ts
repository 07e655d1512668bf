/**
 * Determinism guard: recorded histories of real cases (test/fixtures/histories, recorded from
 * the dev server; see its README) must replay against today's workflow code. A change that
 * alters the commands an existing case produces fails here, before it reaches running cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundlePath } from '../support/temporal';

const dir = path.join(__dirname, '..', 'fixtures', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(4);
});

test.each(files)('recorded case %s replays without nondeterminism', async (file) => {
  // The SDK takes the JSON form of a history as `temporal workflow show --output json` writes it.
  const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown;
  const results = Worker.runReplayHistories({ workflowBundle: { codePath: workflowBundlePath() } }, [
    { workflowId: file.replace(/\.json$/, ''), history },
  ]);
  for await (const result of results) expect(result.error).toBeUndefined();
});
