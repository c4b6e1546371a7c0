// Secrets (passwords in URLs, service keys, JWTs) must never reach output, logs or reports.

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)(@)/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g;
const KEY_VALUE = /\b(password|passwd|secret|apikey|api_key|service_role_key|token)=([^&\s]+)/gi;

/** Replaces the password of a connection URL with `***` (`postgres://u:***@host/db`). */
export function maskUrl(url: string): string {
  return url.replace(URL_PASSWORD, '$1***$3').replace(KEY_VALUE, '$1=***');
}

/** Masks every secret-looking part of free text: URL passwords, JWTs, `password=` style pairs. */
export function redact(text: string): string {
  return maskUrl(text).replace(JWT, '<jwt>');
}
