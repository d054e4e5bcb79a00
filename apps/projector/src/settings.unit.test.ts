import { ConfigError } from '@hpe/config';
import { describe, expect, it } from 'vitest';
import { loadProjectorSettings } from './settings.js';

describe('projector settings', () => {
  it('defaults to the embedded stack: health on 8093, batches of 1,000 or 50 ms', () => {
    const s = loadProjectorSettings({});
    expect(s).toMatchObject({
      HTTP_PORT: 8093,
      PROJECTOR_DURABLE: 'projector',
      PROJECTOR_BATCH_MAX: 1_000,
      PROJECTOR_BATCH_WAIT_MS: 50,
    });
  });

  it('refuses a batch size out of range and a durable name NATS would not take', () => {
    expect(() => loadProjectorSettings({ PROJECTOR_BATCH_MAX: '0' })).toThrow(ConfigError);
    expect(() => loadProjectorSettings({ PROJECTOR_DURABLE: 'a.b' })).toThrow(/PROJECTOR_DURABLE/);
  });
});
