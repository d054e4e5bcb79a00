// The gateway refuses to start outside demo mode with a known signing key or the published demo
// password, and runs the demo with defaults.
import { ConfigError } from '@hpe/config';
import { describe, expect, it } from 'vitest';
import { demoJwtSecret, loadGatewaySettings } from './settings.js';

const strongSecret = 'k3y-from-the-vault-0123456789abcdef-XYZ';

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadGatewaySettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the settings were accepted');
}

describe('gateway settings', () => {
  it('runs the demo with the demo secret and 8 h tokens', () => {
    const settings = loadGatewaySettings({});
    expect(settings.HPE_MODE).toBe('demo');
    expect(settings.AUTH_JWT_SECRET).toBe(demoJwtSecret);
    expect(settings.AUTH_TOKEN_TTL_SECONDS).toBe(8 * 3_600);
    expect(settings.AUTH_LOGIN_ATTEMPTS_PER_MINUTE).toBe(10);
    expect(loadGatewaySettings({ DEMO_PASSWORD: 'election-day-2026' }).HPE_MODE).toBe('demo');
  });

  it.each(['production', 'test'])('refuses %s mode without AUTH_JWT_SECRET', (mode) => {
    const error = refusal({ HPE_MODE: mode });
    expect(error.problems.map((p) => p.variable)).toEqual(['AUTH_JWT_SECRET']);
    expect(error.message).toContain('gateway: invalid settings');
    expect(error.message).toContain(`AUTH_JWT_SECRET: is required when HPE_MODE is ${mode}`);
  });

  it('refuses the demo secret outside demo mode', () => {
    const error = refusal({ HPE_MODE: 'production', AUTH_JWT_SECRET: demoJwtSecret });
    expect(error.message).toContain('AUTH_JWT_SECRET: is the published demo secret');
  });

  it('refuses the default demo password outside demo mode, naming both problems at once', () => {
    const error = refusal({ HPE_MODE: 'production', DEMO_PASSWORD: 'election-day-2026' });
    expect(error.problems.map((p) => p.variable).sort()).toEqual([
      'AUTH_JWT_SECRET',
      'DEMO_PASSWORD',
    ]);
    expect(
      refusal({
        HPE_MODE: 'production',
        AUTH_JWT_SECRET: strongSecret,
        DEMO_PASSWORD: 'election-day-2026',
      }).message,
    ).toContain('DEMO_PASSWORD: is the published default demo password');
  });

  it('refuses a short secret in any mode', () => {
    expect(refusal({ AUTH_JWT_SECRET: 'short' }).message).toContain('at least 32 characters');
  });

  it('starts outside demo mode with a secret of its own', () => {
    const settings = loadGatewaySettings({
      HPE_MODE: 'production',
      AUTH_JWT_SECRET: strongSecret,
      DEMO_PASSWORD: 'a-password-of-our-own',
    });
    expect(settings.AUTH_JWT_SECRET).toBe(strongSecret);
  });
});
