import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { z } from 'zod';
import { unknownFieldsOfSchema } from './unknown-fields.ts';
import { UsageError } from './usage-error.ts';

/** Folder holding the repository's fixtures (profiles, policies, schema, pricing, ...). */
export const FIXTURES_DIR = resolve(fileURLToPath(new URL('../fixtures', import.meta.url)));

/** Path of the YAML fixture `name` of one kind, e.g. `fixturePath('profiles', 'ci-smoke')`. */
export function fixturePath(kind: string, name: string): string {
  return join(FIXTURES_DIR, kind, `${name}.yaml`);
}

/**
 * Resolves `nameOrFile` (a fixture name such as `ci-smoke`, or a path to a YAML file), parses it and
 * validates it with `schema`. Every failure is a UsageError naming the file and the field.
 */
export function loadYamlConfig<S extends z.ZodType>(
  kind: string,
  nameOrFile: string,
  schema: S,
  flag: string,
): z.output<S> {
  const looksLikePath = nameOrFile.includes('/') || /\.ya?ml$/i.test(nameOrFile);
  const file = looksLikePath ? resolve(nameOrFile) : fixturePath(kind, nameOrFile);
  if (!existsSync(file)) {
    throw new UsageError(
      flag,
      `unknown ${kind.replace(/ies$/, 'y').replace(/s$/, '')} '${nameOrFile}' (no file ${file})`,
    );
  }
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      file,
      `is not valid YAML: ${(error as Error).message.split('\n')[0]!.replace(/:\s*$/, '')}`,
    );
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    // A missing field is often a misspelt one: name an unknown field the file has too.
    const unknown = unknownFieldsOfSchema(raw, schema)[0];
    const beside = unknown ? `; ${unknown.path} is not a field here (a typo?)` : '';
    throw new UsageError(file, `field ${field}: ${issue.message}${beside}`);
  }
  // A field the schema does not know (a typo would otherwise leave its default silently in place).
  const unknown = unknownFieldsOfSchema(raw, schema)[0];
  if (unknown) {
    const kindName = kind.replace(/ies$/, 'y').replace(/s$/, '');
    throw new UsageError(
      file,
      `field ${unknown.path}: not a field of a ${kindName} here (allowed: ${unknown.allowed.join(', ')})`,
    );
  }
  const value = result.data as { name?: string };
  if (value && typeof value === 'object' && value.name === undefined) {
    value.name = basename(file).replace(/\.ya?ml$/i, '');
  }
  return result.data;
}
