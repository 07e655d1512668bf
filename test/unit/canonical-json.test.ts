import fc from 'fast-check';
import { canonicalJson } from '../../db/canonical-json';

describe('canonical JSON', () => {
  it('sorts keys at every depth and leaves out whitespace', () => {
    const value = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text for the same value whatever order its keys were written in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });

  it('is valid JSON that parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('gives a value and its JSON round trip the same text, as a jsonb column gives it back', () => {
    fc.assert(
      fc.property(
        fc.anything({ withDate: true, withNullPrototype: true, withBoxedValues: true }),
        (value) => {
          fc.pre(JSON.stringify(value) !== undefined);
          expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
        },
      ),
    );
  });

  it('writes what JSON.stringify writes for undefined members, non-finite numbers and dates', () => {
    const value = {
      keep: 1,
      gone: undefined,
      list: [undefined, NaN, -0],
      at: new Date('2026-01-05T01:00:00Z'),
    };
    expect(canonicalJson(value)).toBe('{"at":"2026-01-05T01:00:00.000Z","keep":1,"list":[null,null,0]}');
  });

  it('escapes strings as JSON does and keeps non-ASCII text as it is', () => {
    expect(canonicalJson({ 备注: '同意\n"ok"' })).toBe('{"备注":"同意\\n\\"ok\\""}');
  });
});
