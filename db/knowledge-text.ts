/**
 * Knowledge text as PostgreSQL full-text search reads it, for Chinese and English alike.
 *
 * PostgreSQL has no Chinese parser: its `simple` and `english` configurations split on spaces and
 * punctuation, so "数据库连接超时" would be one token. We segment in Node before PostgreSQL sees the
 * text, and apply the very same function to the query:
 *
 * - Han text: the words of `Intl.Segmenter('zh', { granularity: 'word' })` (Node's full ICU, its
 *   CJK dictionary) PLUS the character bigrams of every run of Han characters. ICU alone splits
 *   some domain words apart (it gives 数据|库 and 超|时); the bigrams (数据 据库 超时) still match
 *   them, and a query word ICU segments differently from the document still meets it in bigrams.
 *   Both go to the `simple` configuration (lower-casing only, no stop words).
 * - Everything else (English words, product names, error codes) goes to the `english`
 *   configuration, so "timeouts" finds "timeout" and stop words do not count.
 */
const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** A text split into what each configuration indexes: `english` for Latin, `simple` for Han. */
export interface SegmentedText {
  /** Non-Han words, space-separated, for `to_tsvector('english', …)`. */
  latin: string;
  /** ICU words and bigrams of the Han text, space-separated, for `to_tsvector('simple', …)`. */
  han: string;
}

/** Only letters, digits and inner `.`/`-`/`_` survive: the tokens go into a tsquery unquoted. */
function clean(token: string): string {
  return token
    .toLowerCase()
    .replace(/[^\p{L}\p{N}._-]+/gu, '')
    .replace(/^[._-]+|[._-]+$/g, '');
}

export function segment(text: string): SegmentedText {
  const latin: string[] = [];
  const han = new Set<string>();
  for (const s of segmenter.segment(text)) {
    if (!s.isWordLike) continue;
    const token = clean(s.segment);
    if (!token) continue;
    if (HAN.test(token)) {
      // A mixed token ("oracle数据库") keeps its Han part here and its Latin part below.
      for (const run of token.match(HAN_RUN) ?? []) han.add(run);
      latin.push(
        ...token
          .replace(HAN_RUN, ' ')
          .split(/[\s._-]+/)
          .filter(Boolean),
      );
    } else {
      latin.push(...token.split(/[._-]+/).filter(Boolean));
    }
  }
  for (const run of text.match(HAN_RUN) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) han.add(run.slice(i, i + 2));
  }
  return { latin: latin.join(' '), han: [...han].join(' ') };
}

/**
 * The distinct tokens of a query, each safe to place in `to_tsquery` as it is. A single Han
 * character that a longer token of the query already holds is left out ("超时" is searched as
 * 超时, not also as 超 and 时, which half the entries contain): fewer, rarer terms rank the same
 * entries first and make far fewer rows to rank.
 */
export function queryTokens(text: string): SegmentedText {
  const { latin, han } = segment(text);
  const distinct = (s: string) => [...new Set(s.split(' ').filter(Boolean))];
  const hanTokens = distinct(han);
  const longer = hanTokens.filter((t) => t.length > 1);
  const kept = hanTokens.filter((t) => t.length > 1 || !longer.some((l) => l.includes(t)));
  return { latin: distinct(latin).join(' '), han: kept.join(' ') };
}
