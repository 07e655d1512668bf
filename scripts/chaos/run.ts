/**
 * One fault-suite run: its own servers on free loopback ports, the users the clients act as, the
 * load and the killer side by side, then the checks once everything has settled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueToken } from '../../api/auth';
import { createDb } from '../../db/connection';
import { setDepartmentHead, upsertDepartment, upsertUser } from '../../db/directory';
import { loadConfig } from '../../runtime/config';
import { check, problems, settleOutbox, type Figures } from './checks';
import { runFaults, type FaultRecord } from './faults';
import { runLoad, type Identity, type LoadResult } from './load';
import { startCountingSink } from './mail-sink';
import { startChaosStack } from './stack';

export interface ChaosOptions {
  cases: number;
  concurrency: number;
  killsPerComponent: number;
  gapMs: [number, number];
  downMs: [number, number];
  seed: number;
  /** Keep the data directory and process log (printed) instead of deleting them. */
  keep: boolean;
  /** The load and the kills stop here; the checks then run on what was done. */
  timeLimitMs: number;
  /** Aborted from outside (Ctrl-C): stop as at the time limit. */
  stop?: AbortSignal;
  log: (line: string) => void;
}

export interface ChaosReport {
  options: Omit<ChaosOptions, 'log'>;
  figures: Figures;
  faults: FaultRecord[];
  unknownOutcomes: number;
  clientFailures: string[];
  problems: string[];
  seconds: number;
  dir: string;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'opsflow-chaos-'));
  const sink = await startCountingSink();
  const stack = await startChaosStack(dir, sink.url);
  options.log(`servers up in ${dir}: API ${stack.apiUrl}, Temporal ${stack.temporalAddress}`);
  try {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRETS: stack.jwtSecret,
      LINK_SECRETS: stack.linkSecret,
      COMMAND_SECRETS: stack.commandSecret,
      JWT_TTL_MINUTES: '600',
    });
    const setup = createDb(stack.databaseUrl, 1);
    // The requester and the head of their department, as the directory says: the department-head
    // step goes to that head, who may read the case (db/case-access.ts); the O&M head reads all.
    await upsertDepartment(setup, { id: 'chaos-dept', name: 'Chaos department' });
    const identity = async (id: string, role: 'requester' | 'department_head' | 'ops_head') => {
      await upsertUser(setup, {
        id,
        displayName: id,
        email: `${id}@chaos.invalid`,
        locale: 'en',
        roles: [role],
        departmentId: role === 'ops_head' ? null : 'chaos-dept',
      });
      return { id, bearer: `Bearer ${await issueToken(config, id)}` } satisfies Identity;
    };
    const requester = await identity('chaos-requester', 'requester');
    const head = await identity('chaos-head', 'department_head');
    const ops = await identity('chaos-ops', 'ops_head');
    await setDepartmentHead(setup, 'chaos-dept', { head: head.id });
    await setup.destroy();

    const limit = AbortSignal.any([
      AbortSignal.timeout(options.timeLimitMs),
      ...(options.stop ? [options.stop] : []),
    ]);
    let loadDone = false;
    const loading: Promise<LoadResult> = runLoad({
      apiUrl: stack.apiUrl,
      cases: options.cases,
      concurrency: options.concurrency,
      requester,
      approvers: { departmentHeadApproval: head, opsHeadApproval: ops },
      caseTimeoutMs: 10 * 60_000,
      stop: limit,
      onProgress: (n) => {
        if (n % 50 === 0 || n === options.cases) options.log(`${n}/${options.cases} cases done`);
      },
    }).finally(() => (loadDone = true));
    const faults = await runFaults(stack, { ...options, stop: limit, log: options.log });
    options.log(`all ${faults.length} kills done${loadDone ? ' (after the load had finished)' : ''}`);
    const load = await loading;

    const db = createDb(stack.databaseUrl, 2);
    try {
      options.log('waiting for the outbox to settle');
      await settleOutbox(db, load.cases, limit.aborted ? 30_000 : 3 * 60_000);
      const figures = await check(db, stack.temporalAddress, load, sink, dir);
      const found = [
        ...(limit.aborted ? [`stopped at the time limit after ${load.cases.length} cases`] : []),
        ...problems(figures, options.cases),
        ...load.failures.slice(0, 5),
      ];
      const { log: _log, stop: _stop, ...shown } = options;
      return {
        options: shown,
        figures,
        faults,
        unknownOutcomes: load.unknownOutcomes,
        clientFailures: load.failures,
        problems: found,
        seconds: Math.round((Date.now() - started) / 1000),
        dir,
      };
    } finally {
      await db.destroy();
    }
  } finally {
    await stack.stop();
    await sink.stop();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}
