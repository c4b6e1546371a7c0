import { describe, expect, it } from 'vitest';
import { jsonDepth, MAX_JSON_DEPTH, parseJsonText } from './json-body.ts';

describe('JSON bodies', () => {
  it('counts nesting without recursion, ignoring brackets in strings', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[{{{\\"]]]"}')).toBe(1);
    const deep = `${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}`;
    expect(deep.length).toBeGreaterThan(36_000);
    expect(jsonDepth(deep)).toBe(6000);
  });

  it('refuses a body nested deeper than the limit, accepts one at it', () => {
    const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(() => parseJsonText(nest(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => parseJsonText(nest(MAX_JSON_DEPTH + 1))).toThrow(/nested deeper than 256 levels/);
    expect(() => parseJsonText(`${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}`)).toThrow(/nested deeper/);
  });
});
