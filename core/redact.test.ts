import { describe, expect, it } from 'vitest';
import { NASTY_PASSWORDS, secretParts } from '../test/support/secrets.ts';
import { maskUrl, redact } from './redact.ts';

describe('redact', () => {
  it('masks the password of a connection URL and keeps the rest', () => {
    expect(maskUrl('postgres://atlas:s3cr%21t@db.example.com:5432/app')).toBe(
      'postgres://atlas:***@db.example.com:5432/app',
    );
    expect(maskUrl('postgres://postgres@127.0.0.1:5432/test')).toBe(
      'postgres://postgres@127.0.0.1:5432/test',
    );
    expect(maskUrl('postgres://postgres@127.0.0.1:5432/test?application_name=a@b')).toBe(
      'postgres://postgres@127.0.0.1:5432/test?application_name=a@b',
    );
    expect(maskUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/');
  });

  it('masks passwords holding any character, in a URL alone and inside text, JSON, HTML and Markdown', () => {
    for (const password of NASTY_PASSWORDS) {
      for (const encoded of [password, encodeURIComponent(password)]) {
        const url = `postgres://atlas:${encoded}@127.0.0.1:5432/app`;
        expect(maskUrl(url), password).toBe('postgres://atlas:***@127.0.0.1:5432/app');
        const texts = [
          `cannot reach database ${url}: connection refused`,
          JSON.stringify({ database: url, other: 'x@y' }),
          `<td>${url}</td>`,
          `| database | \`${url}\` |`,
          `${url}\nnext line mail@example.com`,
        ];
        for (const text of texts) {
          const out = redact(text);
          for (const part of secretParts(password)) expect(out, `${password} in ${text}`).not.toContain(part);
          expect(out, text).toContain('127.0.0.1:5432/app');
        }
      }
    }
  });

  it('masks JWTs and password= pairs in free text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4eHh4In0.c2lnbmF0dXJlc2ln';
    const text = `token ${jwt} and redis://:hunter2@127.0.0.1:6379 and password=hunter2`;
    const out = redact(text);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain(jwt);
    expect(out).toContain('<jwt>');
  });
});
