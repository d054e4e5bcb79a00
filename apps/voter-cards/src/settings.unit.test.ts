// The HMAC key of the voterKey: a demo default only in demo mode, never the published one outside.
import { ConfigError } from '@hpe/config';
import { describe, expect, it } from 'vitest';
import { voterKeyHasher } from './shared/voter-key.js';
import { demoVoterKeySecret, loadVoterCardsSettings } from './settings.js';

const secret = 'a-real-secret-of-at-least-32-characters!';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadVoterCardsSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
    throw error;
  }
  return [];
}

describe('voter-cards settings', () => {
  it('uses the demo key in demo mode only when none is given', () => {
    expect(loadVoterCardsSettings({}).VOTER_KEY_SECRET).toBe(demoVoterKeySecret);
    expect(loadVoterCardsSettings({ VOTER_KEY_SECRET: secret }).VOTER_KEY_SECRET).toBe(secret);
  });

  it('refuses to start outside demo mode without a key, with the demo key, or with a short one', () => {
    expect(problemsOf({ HPE_MODE: 'production' })).toEqual(['VOTER_KEY_SECRET']);
    expect(problemsOf({ HPE_MODE: 'production', VOTER_KEY_SECRET: demoVoterKeySecret })).toEqual([
      'VOTER_KEY_SECRET',
    ]);
    expect(problemsOf({ HPE_MODE: 'production', VOTER_KEY_SECRET: 'short' })).toEqual([
      'VOTER_KEY_SECRET',
    ]);
    expect(problemsOf({ HPE_MODE: 'production', VOTER_KEY_SECRET: secret })).toEqual([]);
  });

  it('a refused key is never echoed in the error', () => {
    try {
      loadVoterCardsSettings({ HPE_MODE: 'production', VOTER_KEY_SECRET: demoVoterKeySecret });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain(demoVoterKeySecret);
    }
  });
});

describe('voterKey', () => {
  it('is the HMAC-SHA-256 of the citizen id in lower-case hex, and depends on the key', () => {
    const key = voterKeyHasher(secret)('031180123456');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('031180123456');
    expect(voterKeyHasher(secret)('031180123456')).toBe(key);
    expect(voterKeyHasher(`${secret}x`)('031180123456')).not.toBe(key);
    expect(voterKeyHasher(secret)('031180123457')).not.toBe(key);
  });
});
