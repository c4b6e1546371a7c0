// Secrets (passwords in URLs, service keys, JWTs) must never reach output, logs or reports.
//
// A password may hold any character (`#`, `/`, `?`, space, `@`, `%`, unicode), raw or percent-encoded,
// and a URL holding such a password is often not even a valid URL. So the userinfo is found the way
// the URL grammar ends it, not by a character class: everything between `://` and the LAST `@`
// before the URL ends. When unsure, more is masked, never less. In free text a URL ends at the first
// delimiter (quote, bracket, line end) with an `@` before it; the one case left is a password holding
// a raw delimiter with an `@` before it, in free text only (maskUrl, used wherever the URL is known,
// takes the whole string and has no such case).

const SCHEME = /\b[a-z][a-z0-9+.-]*:\/\//gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g;
const KEY_VALUE =
  /\b(password|passwd|pwd|secret|apikey|api_key|service_role_key|token|access_token)=([^&\s]+)/gi;
/** Where a URL inside free text may end: a line end, an unescaped quote or bracket (JSON, HTML, Markdown). */
const DELIMITER = /[\n\r'<>`]|(?<!\\)"/g;

/**
 * Masks the password of every `scheme://user:password@` in `text`. `ends` finds the places where a
 * URL starting at `rest` may end; the first one with a `:`…`@` before it is taken, so a delimiter
 * inside the password moves the end to the next one. The password runs to the last `@` before it.
 */
function maskUserinfo(text: string, ends: RegExp | undefined): string {
  const starts = [...text.matchAll(SCHEME)].map((m) => ({ at: m.index, after: m.index + m[0].length }));
  if (starts.length === 0) return text;
  let out = text.slice(0, starts[0]!.at);
  for (const [i, start] of starts.entries()) {
    const next = starts[i + 1]?.at ?? text.length;
    const chunk = text.slice(start.after, next);
    const cuts = ends ? [...chunk.matchAll(ends)].map((m) => m.index) : [];
    const end = cuts.find((cut) => /:.*@/s.test(chunk.slice(0, cut))) ?? chunk.length;
    const region = chunk.slice(0, end);
    const at = region.lastIndexOf('@');
    const colon = at < 0 ? -1 : region.slice(0, at).indexOf(':');
    out += text.slice(start.at, start.after);
    // No `@`, or no `:` before it: no password. A `@` before the first `:` ends a password-less
    // userinfo (`user@host:5432`), unless that `@` belongs to the password itself (`u:p@ss@host`).
    if (colon < 0 || region.slice(0, colon).includes('@')) out += chunk;
    else out += `${region.slice(0, colon)}:***${chunk.slice(at)}`;
  }
  return out;
}

/**
 * Replaces the password of a connection URL with `***` (`postgres://u:***@host/db`), whatever the
 * password holds; `password=`-style query parameters too. The whole string is taken as the URL.
 */
export function maskUrl(url: string): string {
  return maskUserinfo(url, undefined).replace(KEY_VALUE, '$1=***');
}

/** Masks every secret-looking part of free text: URL passwords, JWTs, `password=` style pairs. */
export function redact(text: string): string {
  const masked = maskUserinfo(text, DELIMITER);
  return masked.replace(KEY_VALUE, '$1=***').replace(JWT, '<jwt>');
}
