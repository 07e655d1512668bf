/**
 * Canonical JSON for the audit hash chain: the text JSON.stringify would produce, with object
 * keys sorted recursively (by UTF-16 code units, as RFC 8785 does) and no whitespace.
 *
 * It follows JSON.stringify in everything else (toJSON, undefined members dropped, undefined
 * array items and non-finite numbers as null) so that a value and the same value after a trip
 * through JSON — and through PostgreSQL jsonb, which keeps no key order — hash the same.
 */
export function canonicalJson(value: unknown): string {
  const text = serialise(value, '');
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
}

function serialise(value: unknown, key: string): string | undefined {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      throw new TypeError('canonicalJson: a BigInt has no JSON form');
    case 'object':
      break;
    default:
      return undefined; // undefined, function, symbol: left out, as JSON.stringify does
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => serialise(item, String(index)) ?? 'null').join(',')}]`;
  }
  const members: string[] = [];
  for (const name of Object.keys(value as object).sort()) {
    const text = serialise((value as Record<string, unknown>)[name], name);
    if (text !== undefined) members.push(`${JSON.stringify(name)}:${text}`);
  }
  return `{${members.join(',')}}`;
}
