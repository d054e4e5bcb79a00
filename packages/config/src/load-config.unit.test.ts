import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config.js';
import { databaseSettings, httpSettings, natsSettings, runModeSettings } from './settings.js';
import { defaultDatabaseUrl, defaultNatsUrl } from './embedded-defaults.js';

const shape = { ...runModeSettings, ...databaseSettings, ...natsSettings, ...httpSettings(8080) };

describe('loadConfig', () => {
  it('defaults run the embedded stack', () => {
    const config = loadConfig('test-app', shape, {});
    expect(config).toEqual({
      HPE_MODE: 'demo',
      DATABASE_URL: defaultDatabaseUrl,
      NATS_URL: [defaultNatsUrl],
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: 8080,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads a cluster of NATS URLs and coerces ports', () => {
    const config = loadConfig('test-app', shape, {
      NATS_URL: 'nats://a:4222, nats://b:4222',
      HTTP_PORT: '9000',
    });
    expect(config.NATS_URL).toEqual(['nats://a:4222', 'nats://b:4222']);
    expect(config.HTTP_PORT).toBe(9000);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig('test-app', shape, { HTTP_PORT: '' }).HTTP_PORT).toBe(8080);
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig('test-app', shape, {
        HPE_MODE: 'chaos',
        DATABASE_URL: 'mysql://x',
        HTTP_PORT: '70000',
        NATS_URL: 'http://nope',
      });
      expect.unreachable('loadConfig accepted bad settings');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
      expect(problems).toEqual(['DATABASE_URL', 'HPE_MODE', 'HTTP_PORT', 'NATS_URL']);
      expect((error as ConfigError).message).toContain('test-app: invalid settings');
    }
  });

  it('ignores variables the app did not ask for', () => {
    const config = loadConfig('test-app', { A: z.string().default('a') }, { B: 'b' });
    expect(config).toEqual({ A: 'a' });
  });
});
