// The verified-password cache keeps successes only, per stored hash and password, for a while.
import { describe, expect, it } from 'vitest';
import { VerifiedPasswords } from './verified-passwords.js';

describe('VerifiedPasswords', () => {
  it('remembers a verified pair, and nothing for another password or another hash', () => {
    const cache = new VerifiedPasswords();
    expect(cache.has('hash-a', 'secret')).toBe(false);
    cache.remember('hash-a', 'secret');
    expect(cache.has('hash-a', 'secret')).toBe(true);
    expect(cache.has('hash-a', 'secret ')).toBe(false);
    expect(cache.has('hash-b', 'secret')).toBe(false);
  });

  it('forgets after its time to live and beyond its size', async () => {
    const short = new VerifiedPasswords(10, 20);
    short.remember('h', 'p');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(short.has('h', 'p')).toBe(false);
    const small = new VerifiedPasswords(2, 60_000);
    small.remember('h', '1');
    small.remember('h', '2');
    small.remember('h', '3');
    expect([small.has('h', '1'), small.has('h', '2'), small.has('h', '3')]).toEqual([
      false,
      true,
      true,
    ]);
  });
});
