/** The `Prefer` header preferences the REST subset honours. */
export interface Preferences {
  return: 'minimal' | 'representation' | 'headers-only';
  /** `count=exact` (planned and estimated are answered exactly too). */
  count: boolean;
  resolution: 'none' | 'merge-duplicates' | 'ignore-duplicates';
  missingDefault: boolean;
}

/** Parses one or several Prefer headers (`return=representation, count=exact`). */
export function parsePrefer(value: string | string[] | undefined): Preferences {
  const out: Preferences = { return: 'minimal', count: false, resolution: 'none', missingDefault: false };
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  for (const token of text.split(',')) {
    const [key = '', val = ''] = token.trim().split('=');
    if (key === 'return' && (val === 'minimal' || val === 'representation' || val === 'headers-only'))
      out.return = val;
    else if (key === 'count' && ['exact', 'planned', 'estimated'].includes(val)) out.count = true;
    else if (key === 'resolution' && (val === 'merge-duplicates' || val === 'ignore-duplicates'))
      out.resolution = val;
    else if (key === 'missing' && val === 'default') out.missingDefault = true;
  }
  return out;
}
