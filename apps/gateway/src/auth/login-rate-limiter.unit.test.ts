// The login limiter: N attempts per key per window, Retry-After until the window ends, keys apart,
// and memory bounded.
import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from './login-rate-limiter.js';

describe('LoginRateLimiter', () => {
  it('allows the limit, then refuses until the window ends', () => {
    let now = 1_000_000;
    const limiter = new LoginRateLimiter(10, 60_000, () => now);
    for (let i = 0; i < 10; i++) expect(limiter.attempt('ip\nadmin').allowed).toBe(true);
    expect(limiter.attempt('ip\nadmin')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    now += 45_500;
    expect(limiter.attempt('ip\nadmin')).toEqual({ allowed: false, retryAfterSeconds: 15 });
    expect(limiter.attempt('ip\nops').allowed).toBe(true);
    expect(limiter.attempt('other-ip\nadmin').allowed).toBe(true);
    now += 14_500;
    expect(limiter.attempt('ip\nadmin').allowed).toBe(true);
  });

  it('keeps at most maxKeys windows and drops expired ones', () => {
    let now = 0;
    const limiter = new LoginRateLimiter(1, 60_000, () => now, 100);
    for (let i = 0; i < 1_000; i++) limiter.attempt(`key-${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
    now += 60_000;
    limiter.attempt('fresh');
    expect(limiter.size).toBe(1);
  });
});
