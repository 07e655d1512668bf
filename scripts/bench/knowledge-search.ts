/**
 * Knowledge search latency at size, through the same function the API calls
 * (db/knowledge-search.ts, segmentation in Node included), on SIZES published entries generated
 * from word lists (Chinese and English) plus the one entry the queries look for, in a throw-away
 * PostgreSQL. Prints p50/p95/p99 per query, QUERIES runs each one at a time after a warm-up, and
 * the rank the sought entry got.
 *
 *   npm run bench:knowledge       (SIZES=200,10000 QUERIES=300 by default)
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDb } from '../../db/connection';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { searchKnowledge, suggestKnowledge } from '../../db/knowledge-search';
import { migrateLatest } from '../../db/migrate';
import { runMain } from '../../runtime/config';
import { say } from './bench-stack';
import { knowledgeCorpus, seedPublishedEntries } from './knowledge-corpus';
import { measure, summarize, type LatencySummary } from './latency';

const SIZES = (process.env.SIZES ?? '200,10000').split(',').map(Number);
const QUERIES = Number(process.env.QUERIES ?? 300);

const sought = {
  title: '缴费核定时数据库连接超时 / Database connection timeout during contribution assessment',
  problem: '月末缴费核定时社保核心系统报数据库连接超时，经办人员无法提交核定结果。',
  symptoms: '页面提示“数据库连接超时”，日志 ORA-12170: TNS connect timeout occurred',
  cause: '连接池最大连接数过小，月末并发核定时连接耗尽；connection pool exhausted',
  solution: '将连接池上限由 50 调整为 200；raise the pool limit to 200',
  systems: [],
  tags: ['连接池', 'connection pool'],
  sourceCases: [],
};

const queries: Array<[string, (db: Knex) => Promise<Array<{ entryId: string }>>]> = [
  ['search "数据库 连接 超时"', (db) => searchKnowledge(db, '数据库 连接 超时')],
  ['search "database connection timeout"', (db) => searchKnowledge(db, 'database connection timeout')],
  [
    'suggestions for a defect text (zh, 27 chars)',
    (db) => suggestKnowledge(db, '养老待遇核定提交时报错：数据库连接超时，请稍后再试'),
  ],
];

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'opsflow-bench-'));
  chmodSync(root, 0o755);
  say(`Starting PostgreSQL (throw-away data in ${root})…`);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg') });
  const db = createDb(pg.url, 10);
  const lines: string[] = [];
  try {
    await migrateLatest(db);
    let seeded = 0;
    let soughtId = '';
    for (const size of SIZES) {
      const started = Date.now();
      const corpus = knowledgeCorpus(size, { repeat: true }).slice(seeded);
      for (let i = 0; i < corpus.length; i += 500)
        await Promise.all(
          Array.from({ length: 8 }, (_, lane) =>
            seedPublishedEntries(
              db,
              corpus.slice(i, i + 500).filter((_, j) => j % 8 === lane),
              'bench',
            ),
          ),
        );
      seeded = size;
      if (!soughtId) [soughtId] = await seedPublishedEntries(db, [sought], 'bench');
      await db.raw('ANALYZE knowledge_entries; ANALYZE knowledge_entry_versions');
      say(`  ${size} entries (+1 sought) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      for (const [name, run] of queries) {
        const hits = await run(db);
        const rank = hits.findIndex((h) => h.entryId === soughtId) + 1;
        await measure(Math.min(50, QUERIES), 4, () => run(db).then(() => undefined));
        const l: LatencySummary = summarize(await measure(QUERIES, 1, () => run(db).then(() => undefined)));
        const ms = (v: number) => v.toFixed(2);
        lines.push(
          `| ${size} | ${name} | ${rank || 'not found'} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} |`,
        );
      }
    }
    say(
      [
        '',
        `Knowledge search, ${QUERIES} queries each, one at a time (ms)`,
        '',
        '| entries | query | sought entry ranked | p50 | p95 | p99 |',
        '| ---: | --- | ---: | ---: | ---: | ---: |',
        ...lines,
      ].join('\n'),
    );
  } finally {
    await db.destroy();
    await pg.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

runMain(main);
