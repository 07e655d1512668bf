/**
 * `node dist/scripts/verify-audit.js [caseId]`: recomputes the hash chain of the audit trail (of
 * one case, or of all) and says whether it is intact; exit code 1 at the first broken link.
 */
import { verifyAuditChain } from '../db/audit';
import { createDb } from '../db/connection';
import { commandDatabaseUrl } from '../db/database-url';
import { loadConfig, runMain } from '../runtime/config';

async function main(): Promise<void> {
  const caseId = process.argv[2];
  if (process.argv.length > 3) {
    process.stderr.write('usage: node dist/scripts/verify-audit.js [caseId]\n');
    process.exitCode = 2;
    return;
  }
  const db = createDb(commandDatabaseUrl(loadConfig(undefined, { needsSecrets: false })), 1);
  try {
    const result = await verifyAuditChain(db, caseId);
    if (result.ok && caseId !== undefined && result.checked === 0) {
      // A mistyped case number must not read as a clean bill of health.
      process.stdout.write(`no audit trail recorded for case ${caseId}\n`);
      process.exitCode = 1;
    } else if (result.ok) {
      process.stdout.write(
        `audit trail intact: ${count(result.checked, 'event')} in ${count(result.cases, 'case')}\n`,
      );
    } else {
      process.stdout.write(`audit trail BROKEN at ${result.caseId} #${result.seq}: ${result.reason}\n`);
      process.exitCode = 1;
    }
  } finally {
    await db.destroy();
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

runMain(main);
