// The fields of a parsed YAML file that its schema does not know. zod's objects strip unknown keys
// without a word, so a typo in an optional field (`seeed: 5`) would silently leave its default in
// place; comparing what was written with the schema's own object shapes finds them, whether or not
// the file parses. Pure.

/** A field written in the file that the schema dropped: its path and the fields allowed beside it. */
export interface UnknownField {
  path: string;
  allowed: string[];
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** zod 4's definition of a schema (its `_zod.def`): the parts the walk below reads. */
interface SchemaDef {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  element?: unknown;
}

function defOf(schema: unknown): SchemaDef | null {
  const def = (schema as { _zod?: { def?: SchemaDef } } | null)?._zod?.def;
  return def && typeof def.type === 'string' ? def : null;
}

/** Wrappers whose inner schema decides the value's fields. */
const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'nonoptional', 'readonly', 'catch']);

/**
 * Every key of `raw` (the parsed file) that the schema's object at that place does not declare, depth
 * first in the file's order; parts it cannot see into (records, unions, transforms) report nothing.
 */
export function unknownFieldsOfSchema(raw: unknown, schema: unknown, path: string[] = []): UnknownField[] {
  let def = defOf(schema);
  while (def && (WRAPPERS.has(def.type) || def.type === 'pipe'))
    def = defOf(def.type === 'pipe' ? def.in : def.innerType);
  if (!def) return [];
  if (def.type === 'array' && Array.isArray(raw))
    return raw.flatMap((item, i) => unknownFieldsOfSchema(item, def.element, [...path, String(i)]));
  if (def.type !== 'object' || !def.shape || !isPlainObject(raw)) return [];
  const shape = def.shape;
  return Object.keys(raw).flatMap((key) =>
    key in shape
      ? unknownFieldsOfSchema(raw[key], shape[key], [...path, key])
      : [{ path: [...path, key].join('.'), allowed: Object.keys(shape).sort() }],
  );
}
