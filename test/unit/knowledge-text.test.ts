/** Chinese and English knowledge text as full-text search indexes it: ICU words, Han bigrams, Latin words. */
import { queryTokens, segment } from '../../db/knowledge-text';

test('Chinese text is split into ICU words and the bigrams of each Han run', () => {
  const { han, latin } = segment('数据库连接超时');
  const tokens = han.split(' ');
  // ICU splits 数据库 and 超时 apart; the bigrams keep the words a reader types whole.
  expect(tokens).toEqual(expect.arrayContaining(['数据', '库', '连接', '超时', '据库']));
  expect(latin).toBe('');
});

test('a spaced Chinese query yields the same tokens as the unspaced text it should find', () => {
  const query = queryTokens('数据库 连接 超时').han.split(' ');
  const document = new Set(segment('应用报数据库连接超时，无法登录').han.split(' '));
  expect(query.filter((t) => !document.has(t))).toEqual([]);
  expect(query).toEqual(expect.arrayContaining(['数据', '连接', '超时']));
});

test('English words, error codes and mixed tokens go to the Latin side, lower-cased', () => {
  const { latin, han } = segment('Oracle connection timeouts ORA-12170 on oracle数据库');
  expect(latin.split(' ')).toEqual(
    expect.arrayContaining(['oracle', 'connection', 'timeouts', 'ora', '12170', 'on']),
  );
  expect(han.split(' ')).toEqual(expect.arrayContaining(['数据']));
});

test('query tokens carry nothing tsquery would read as an operator', () => {
  const { latin, han } = queryTokens("a' | b & !c <-> (d) 超时:*");
  for (const t of `${latin} ${han}`.split(' ').filter(Boolean)) expect(t).toMatch(/^[\p{L}\p{N}]+$/u);
});

test('a query leaves out single Han characters its longer tokens already hold', () => {
  const tokens = queryTokens('数据库 连接 超时').han.split(' ');
  expect(tokens).toEqual(expect.arrayContaining(['数据', '据库', '连接', '超时']));
  expect(tokens).not.toContain('超');
  expect(tokens).not.toContain('库');
  expect(queryTokens('库').han).toBe('库');
});
