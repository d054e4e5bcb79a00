import { PubHeaders } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { eventsStreamConfig, eventsStreamConfigFor, streamConfigDrift } from './events-stream.js';
import { natsMsgIdHeader } from './relay-headers.js';

describe('the EVENTS stream declaration', () => {
  it('keeps every event, immutably, deduplicated for two minutes', () => {
    expect(eventsStreamConfig).toMatchObject({
      name: 'EVENTS',
      subjects: ['events.>'],
      storage: 'file',
      retention: 'limits',
      discard: 'old',
      max_msgs: -1,
      max_bytes: -1,
      max_age: 0,
      max_msgs_per_subject: -1,
      max_msg_size: 1024 * 1024,
      duplicate_window: nanos(120_000),
      deny_delete: true,
      deny_purge: true,
      allow_rollup_hdrs: false,
      num_replicas: 1,
    });
    expect(eventsStreamConfig.duplicate_window).toBe(120_000_000_000);
    expect(Object.isFrozen(eventsStreamConfig)).toBe(true);
    expect(Object.isFrozen(eventsStreamConfig.subjects)).toBe(true);
  });

  it('takes a replica count for a cluster, and refuses nonsense', () => {
    expect(eventsStreamConfigFor({ replicas: 3 }).num_replicas).toBe(3);
    for (const replicas of [0, -1, 1.5, 6, Number.NaN]) {
      expect(() => eventsStreamConfigFor({ replicas })).toThrow(RangeError);
    }
  });

  it('uses the header JetStream deduplicates on', () => {
    expect(natsMsgIdHeader).toBe('Nats-Msg-Id');
    expect(natsMsgIdHeader).toBe(PubHeaders.MsgIdHdr);
  });
});

describe('streamConfigDrift', () => {
  it('sees no drift in a server config that holds the declaration plus server defaults', () => {
    const fromServer = {
      ...eventsStreamConfig,
      subjects: ['events.>'],
      max_consumers: -1,
      sealed: false,
      allow_direct: false,
      mirror_direct: false,
    };
    expect(streamConfigDrift(eventsStreamConfig, fromServer)).toEqual([]);
  });

  it('names each drifted field, a missing description included', () => {
    const { description: _d, ...rest } = eventsStreamConfig;
    const drifted = {
      ...rest,
      subjects: ['events.>', 'other.>'],
      duplicate_window: nanos(1_000),
      deny_purge: false,
    };
    expect(streamConfigDrift(eventsStreamConfig, drifted).sort()).toEqual([
      'deny_purge',
      'description',
      'duplicate_window',
      'subjects',
    ]);
  });

  it('ignores the order of subjects', () => {
    const desired = { ...eventsStreamConfig, subjects: ['a.>', 'b.>'] };
    expect(streamConfigDrift(desired, { ...desired, subjects: ['b.>', 'a.>'] })).toEqual([]);
  });
});
