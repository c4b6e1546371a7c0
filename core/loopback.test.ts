import { describe, expect, it } from 'vitest';
import { hostOfUrl, isLoopbackHost, remoteRefusal } from './loopback.ts';

describe('loopback safety', () => {
  it('knows loopback names, addresses and sockets', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      '127.0.0.1',
      '127.8.9.1',
      '::1',
      '[::1]',
      '/var/run/postgresql',
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['10.0.0.1', '192.168.1.5', 'db.supabase.co', '128.0.0.1', '::2', '0.0.0.0']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('does not trust *.localhost: the system resolver sends it to DNS like any other name', () => {
    expect(isLoopbackHost('db.localhost')).toBe(false);
    expect(remoteRefusal('postgres://u@db.localhost/app', undefined, {})).toMatch(
      /host db\.localhost is not loopback; pass --allow-remote db\.localhost/,
    );
  });

  it('checks the host node-pg connects to when the URL names none (PGHOST, else localhost)', () => {
    expect(hostOfUrl('postgres:///db', { PGHOST: '10.1.2.3' })).toBe('10.1.2.3');
    expect(remoteRefusal('postgres:///db', undefined, { PGHOST: '10.1.2.3' })).toMatch(
      /^host 10\.1\.2\.3 \(from PGHOST: the URL names no host\) is not loopback/,
    );
    expect(remoteRefusal('postgresql://u:p@/db', undefined, { PGHOST: 'db.example.com' })).toBeDefined();
    expect(remoteRefusal('postgres:///db', undefined, {})).toBeUndefined();
    expect(remoteRefusal('postgres:///db', undefined, { PGHOST: '/var/run/postgresql' })).toBeUndefined();
  });

  it('refuses a remote host unless --allow-remote names exactly that host', () => {
    const url = 'postgres://u:p@db.example.com/app';
    expect(remoteRefusal(url, undefined)).toMatch(/--allow-remote db\.example\.com/);
    expect(remoteRefusal(url, 'other.example.com')).toBeDefined();
    expect(remoteRefusal(url, 'db.example.com')).toBeUndefined();
    expect(remoteRefusal('postgres://u@127.0.0.1/app', undefined)).toBeUndefined();
    expect(remoteRefusal('postgres://u@/app?host=/var/run/postgresql', undefined)).toBeUndefined();
    expect(remoteRefusal('postgres://u@127.0.0.1/app?host=10.1.2.3', undefined, {})).toMatch(/10\.1\.2\.3/);
  });
});
