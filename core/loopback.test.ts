import { describe, expect, it } from 'vitest';
import { isLoopbackHost, remoteRefusal } from './loopback.ts';

describe('loopback safety', () => {
  it('knows loopback names, addresses and sockets', () => {
    for (const host of ['localhost', '127.0.0.1', '127.8.9.1', '::1', '[::1]', '/var/run/postgresql', '']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['10.0.0.1', '192.168.1.5', 'db.supabase.co', '128.0.0.1', '::2']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('refuses a remote host unless --allow-remote names exactly that host', () => {
    const url = 'postgres://u:p@db.example.com/app';
    expect(remoteRefusal(url, undefined)).toMatch(/--allow-remote db\.example\.com/);
    expect(remoteRefusal(url, 'other.example.com')).toBeDefined();
    expect(remoteRefusal(url, 'db.example.com')).toBeUndefined();
    expect(remoteRefusal('postgres://u@127.0.0.1/app', undefined)).toBeUndefined();
    expect(remoteRefusal('postgres://u@/app?host=/var/run/postgresql', undefined)).toBeUndefined();
  });
});
