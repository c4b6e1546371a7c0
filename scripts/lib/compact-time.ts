/** An instant as `20250601T000000Z`: sortable, and safe in a folder name on every file system. */
export function compactTime(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}
