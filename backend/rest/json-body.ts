/**
 * Deepest nesting of arrays and objects a request body may have. Atlas's rows nest two levels at most
 * (usage_stats); 256 stays far below where JSON.stringify (V8's stack: a few thousand levels) and
 * PostgreSQL's JSON functions (max_stack_depth) fail, so a deep body is a 400, never a crash or a 500.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * The nesting depth of JSON text, counted without recursion and without parsing (brackets inside
 * strings do not count); stops counting once past `limit`.
 */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** JSON.parse that refuses bodies nested deeper than MAX_JSON_DEPTH; throws an Error saying why. */
export function parseJsonText(text: string): unknown {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return JSON.parse(text);
}
