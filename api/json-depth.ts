/**
 * The nesting limit of request bodies, checked on the raw bytes before JSON.parse, so a body
 * nested thousands deep is refused at the door instead of overflowing the stack of whatever
 * walks it afterwards (the stored-text check, ajv). No form of this API nests deeper than a
 * handful of levels.
 */
export const MAX_JSON_DEPTH = 32;

export class JsonTooDeepError extends Error {
  override name = 'JsonTooDeepError';
  readonly status = 400;
  readonly type = 'entity.too.deep';
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Deepest nesting of arrays and objects in JSON text (strings skipped); stops once past `limit`. */
export function jsonDepth(bytes: Uint8Array, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      depth--;
    }
  }
  return deepest;
}

/** `verify` hook of express.json: a body nested deeper than MAX_JSON_DEPTH is a 400. */
export function refuseDeepJson(_req: unknown, _res: unknown, body: Buffer): void {
  if (jsonDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new JsonTooDeepError(`the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}
