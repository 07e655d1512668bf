import { startStack } from './start-stack';

export default async function integrationGlobalSetup(): Promise<void> {
  await startStack(true);
}
