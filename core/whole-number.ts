const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A number rounded to a whole one with thousands separators ("12,345"), one shared formatter (fast). */
export function wholeNumber(n: number): string {
  return WHOLE.format(n);
}
