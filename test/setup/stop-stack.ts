import { rmSync } from 'node:fs';
import { takeStack } from './stack';

export default async function stopStack(): Promise<void> {
  const stack = takeStack();
  if (!stack) return;
  await Promise.all([stack.temporal?.stop(), stack.postgres.stop()]);
  rmSync(stack.root, { recursive: true, force: true });
}
