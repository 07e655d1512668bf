import { startStack } from './start-stack';

export default async function workflowGlobalSetup(): Promise<void> {
  await startStack(false);
}
