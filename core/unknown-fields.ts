// The fields of a parsed YAML file that its schema does not know. zod's objects strip unknown keys
// without a word, so a typo in an optional field (`seeed: 5`) would silently leave its default in
// place; comparing what was written with what the schema kept finds them. Pure.

/** A field written in the file that the schema dropped: its path and the fields allowed beside it. */
export interface UnknownField {
  path: string;
  allowed: string[];
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Every key of `raw` (the parsed file) missing from `parsed` (the schema's output) at the same place,
 * depth first in the file's order; objects the schema kept whole (records) keep every key, so none of
 * theirs is reported.
 */
export function unknownFields(raw: unknown, parsed: unknown, path: string[] = []): UnknownField[] {
  if (Array.isArray(raw) && Array.isArray(parsed)) {
    return raw.flatMap((item, i) => unknownFields(item, parsed[i], [...path, String(i)]));
  }
  if (!isPlainObject(raw) || !isPlainObject(parsed)) return [];
  return Object.keys(raw).flatMap((key) =>
    key in parsed
      ? unknownFields(raw[key], parsed[key], [...path, key])
      : [{ path: [...path, key].join('.'), allowed: Object.keys(parsed).sort() }],
  );
}
