import { describe, expect, it } from 'vitest';
import { maskUrl, redact } from './redact.ts';

describe('redact', () => {
  it('masks the password of a connection URL and keeps the rest', () => {
    expect(maskUrl('postgres://atlas:s3cr%21t@db.example.com:5432/app')).toBe(
      'postgres://atlas:***@db.example.com:5432/app',
    );
    expect(maskUrl('postgres://postgres@127.0.0.1:5432/test')).toBe(
      'postgres://postgres@127.0.0.1:5432/test',
    );
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
