/**
 * Realistic, distinct knowledge entries generated from word lists — Chinese and English, a
 * component of an IT system times a failure of it, on one of the social-insurance systems — for
 * the search tests and the search benchmark (`knowledge-search.ts`). The database-connection-timeout pair is left out:
 * that is the entry the tests propose and expect to find first among these.
 */
import type { Knex } from 'knex';
import { createEntry, publishVersion, type KnowledgeContent } from '../../db/knowledge';

type Pair = [zh: string, en: string];

const components: Pair[] = [
  ['数据库', 'database'],
  ['应用服务器', 'application server'],
  ['消息队列', 'message queue'],
  ['缓存集群', 'cache cluster'],
  ['负载均衡', 'load balancer'],
  ['存储磁盘', 'storage disk'],
  ['核心网络', 'core network'],
  ['证书服务', 'certificate service'],
  ['批处理作业', 'batch job'],
  ['报表服务', 'reporting service'],
  ['前置机', 'front-end processor'],
  ['身份认证', 'identity provider'],
];

const failures: Array<{ zh: string; en: string; cause: Pair; fix: Pair }> = [
  {
    zh: '连接超时',
    en: 'connection timeout',
    cause: ['防火墙会话老化时间短于连接保持时间', 'firewall session ageing shorter than keep-alive'],
    fix: ['调整防火墙会话老化时间并开启保活', 'raise firewall session ageing and enable keep-alive'],
  },
  {
    zh: '响应缓慢',
    en: 'slow response',
    cause: ['统计信息过期导致执行计划退化', 'stale statistics degraded the execution plan'],
    fix: ['重新收集统计信息并固定执行计划', 'gather statistics again and pin the plan'],
  },
  {
    zh: '内存溢出',
    en: 'out of memory',
    cause: ['大批量查询一次性加载全部结果', 'a bulk query loaded every row at once'],
    fix: ['改为分页读取并调整堆内存上限', 'page the query and raise the heap limit'],
  },
  {
    zh: '无法登录',
    en: 'login failure',
    cause: ['单点登录令牌签名密钥轮换后未同步', 'the single sign-on signing key was rotated but not synced'],
    fix: ['同步新密钥并清理旧会话', 'sync the new key and clear old sessions'],
  },
  {
    zh: '死锁',
    en: 'deadlock',
    cause: ['两个作业以相反顺序锁定同一组表', 'two jobs lock the same tables in opposite order'],
    fix: ['统一加锁顺序并缩短事务', 'lock in one order and shorten transactions'],
  },
  {
    zh: '空间不足',
    en: 'disk full',
    cause: ['归档日志未按计划清理', 'archive logs were not purged on schedule'],
    fix: ['清理归档日志并配置自动清理任务', 'purge archive logs and schedule automatic cleanup'],
  },
  {
    zh: '证书过期',
    en: 'certificate expired',
    cause: ['证书到期提醒未覆盖该节点', 'expiry alerts did not cover this node'],
    fix: ['更换证书并加入到期监控', 'replace the certificate and monitor expiry'],
  },
  {
    zh: '进程挂起',
    en: 'process hang',
    cause: ['线程池耗尽后请求排队不返回', 'the thread pool was exhausted and requests queued forever'],
    fix: ['扩大线程池并设置请求超时', 'enlarge the thread pool and set request timeouts'],
  },
  {
    zh: '数据不一致',
    en: 'data inconsistency',
    cause: ['补偿任务重复执行写入两次', 'a compensation job ran twice and wrote twice'],
    fix: ['为补偿任务增加幂等校验并修复数据', 'make the compensation job idempotent and repair the data'],
  },
  {
    zh: '同步失败',
    en: 'replication failure',
    cause: ['主备之间网络抖动导致复制中断', 'network jitter between primary and standby broke replication'],
    fix: ['重建复制链路并监控延迟', 'rebuild replication and monitor lag'],
  },
];

const systems: Pair[] = [
  ['社保核心系统', 'social insurance core'],
  ['医保结算系统', 'medical insurance settlement'],
  ['养老金发放系统', 'pension payment'],
  ['就业登记系统', 'employment registration'],
  ['公共服务网厅', 'public service portal'],
];

const moments: Pair[] = [
  ['月末缴费核定', 'month-end contribution assessment'],
  ['每日批量对账', 'daily batch reconciliation'],
  ['业务高峰期', 'peak business hours'],
  ['夜间批处理', 'the nightly batch'],
];

/**
 * `n` distinct entries (at most 2 languages × components × failures − the target pair, 238);
 * `repeat` goes on past that, varying only system and moment (for a benchmark of volume).
 */
export function knowledgeCorpus(n: number, { repeat = false } = {}): KnowledgeContent[] {
  const out: KnowledgeContent[] = [];
  for (let i = 0; out.length < n; i++) {
    const component = components[i % components.length];
    const failure = failures[Math.floor(i / components.length) % failures.length];
    const round = Math.floor(i / (components.length * failures.length));
    if (round > 1 && !repeat) throw new Error(`the word lists give at most ${out.length} distinct entries`);
    if (component[1] === 'database' && failure.en === 'connection timeout') continue;
    const system = systems[i % systems.length];
    const moment = moments[i % moments.length];
    const zh = (round + i) % 2 === 0;
    out.push(
      zh
        ? {
            title: `${system[0]}${component[0]}${failure.zh}`,
            problem: `${moment[0]}时${system[0]}的${component[0]}出现${failure.zh}，业务经办受影响`,
            symptoms: `${component[0]}告警：${failure.zh}`,
            cause: failure.cause[0],
            solution: failure.fix[0],
            systems: [],
            tags: [component[0], failure.zh],
            sourceCases: [],
          }
        : {
            title: `${component[1]} ${failure.en} in ${system[1]}`,
            problem: `During ${moment[1]} the ${component[1]} of ${system[1]} shows ${failure.en}; clerks cannot finish their work`,
            symptoms: `${component[1]} alert: ${failure.en}`,
            cause: failure.cause[1],
            solution: failure.fix[1],
            systems: [],
            tags: [component[1], failure.en],
            sourceCases: [],
          },
    );
  }
  return out;
}

/** Writes the entries as published versions, as an approved review would; returns their ids. */
export async function seedPublishedEntries(
  db: Knex,
  contents: KnowledgeContent[],
  author: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const content of contents) {
    const { entryId, version } = await createEntry(db, {
      content,
      origin: 'manual',
      author,
      reviewCaseId: null,
    });
    await publishVersion(db, { entryId, version, decidedBy: 'seed' });
    ids.push(entryId);
  }
  return ids;
}
