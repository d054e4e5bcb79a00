import { generateKeyPairSync } from 'node:crypto';
import {
  checkpointEvent,
  GENESIS_HASH,
  sealEvents,
  signCheckpoint,
  signingKeyOf,
  type ChainEvent,
} from '@hpe/ledger';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { auditEvents } from './audit-log.js';
import { eventLine } from './ndjson.js';
import { runCli } from './run-cli.js';

const key = signingKeyOf(generateKeyPairSync('ed25519').privateKey);
const recordedAt = '2026-03-15T02:30:00.000Z';

/** 'e' an ordinary event, 'c' a checkpoint of the head before it. */
function buildLog(plan: string): ChainEvent[] {
  const log: ChainEvent[] = [];
  for (const kind of plan) {
    const position = log.length + 1;
    const last = log.at(-1);
    const base =
      kind === 'c' && last !== undefined
        ? checkpointEvent(
            signCheckpoint({ headPosition: last.position, headHash: last.hash }, key),
            {
              eventId: uuidv7(),
              occurredAt: new Date(recordedAt),
            },
          )
        : {
            eventId: uuidv7(),
            type: 'IncidentReported',
            schemaVersion: 1,
            streamId: 'incident-a',
            data: { n: position },
            metadata: {
              occurredAt: recordedAt,
              actor: { id: 'r', role: 'reporter' },
              correlationId: 'c',
            },
          };
    const [sealed] = sealEvents(
      [{ ...base, position, streamRevision: position - 1, recordedAt }],
      last?.hash ?? GENESIS_HASH,
    );
    if (sealed === undefined) throw new Error('sealEvents returned nothing');
    log.push(sealed);
  }
  return log;
}

async function* inPages(events: ChainEvent[], size: number): AsyncIterable<ChainEvent[]> {
  for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
}

const publicKeys = [key.publicKey];

describe('auditEvents', () => {
  it('verifies chain and checkpoints across page boundaries', async () => {
    const log = buildLog('eeeceeeceee');
    const result = await auditEvents(inPages(log, 3), { publicKeys });
    expect(result).toMatchObject({
      ok: true,
      from: 1,
      to: 11,
      count: 11,
      checkpoints: 2,
      fingerprints: [key.fingerprint],
      headHash: log[10]?.hash,
      lastCheckpoint: { position: 8, headPosition: 7 },
    });
  });

  it('reports an empty log as verified with nothing in it', async () => {
    expect(await auditEvents(inPages([], 3), { publicKeys })).toMatchObject({
      ok: true,
      count: 0,
      to: 0,
    });
  });

  it('names a checkpoint failure that comes before a later chain failure', async () => {
    const log = buildLog('eeceee');
    // Position 2 edited and everything after it re-hashed (the chain verifies again), then
    // position 5 edited without re-hashing: the checkpoint at 3 is the first bad position.
    const second = log[1];
    const first = log[0];
    if (second === undefined || first === undefined) throw new Error('log too short');
    const rehashed = [
      first,
      ...sealEvents([{ ...second, data: { n: 'edited' } }, ...log.slice(2)], first.hash),
    ];
    const fifth = rehashed[4];
    if (fifth === undefined) throw new Error('log too short');
    rehashed[4] = { ...fifth, data: { n: 'edited too' } };
    expect(await auditEvents(inPages(rehashed, 2), { publicKeys })).toMatchObject({
      ok: false,
      firstBadPosition: 3,
      reason: 'CHECKPOINT_MISMATCH',
    });
  });

  it('names the first edited event, and ignores checkpoints after it', async () => {
    const log = buildLog('eeeeec');
    const third = log[2];
    if (third === undefined) throw new Error('log too short');
    log[2] = { ...third, data: { n: 'edited' } };
    expect(await auditEvents(inPages(log, 4), { publicKeys: [] })).toMatchObject({
      ok: false,
      firstBadPosition: 3,
      reason: 'HASH_MISMATCH',
    });
  });

  it('checks an outside head: present, different, or cut off', async () => {
    const log = buildLog('eeeeec');
    const fourth = log[3];
    if (fourth === undefined) throw new Error('log too short');
    const at4 = { position: 4, hash: fourth.hash };
    expect(await auditEvents(inPages(log, 2), { publicKeys, expectHead: at4 })).toMatchObject({
      ok: true,
    });
    expect(
      await auditEvents(inPages(log, 2), {
        publicKeys,
        expectHead: { position: 4, hash: 'a'.repeat(64) },
      }),
    ).toMatchObject({ ok: false, firstBadPosition: 4, reason: 'HEAD_MISMATCH' });
    expect(
      await auditEvents(inPages(log.slice(0, 3), 2), { publicKeys, expectHead: at4 }),
    ).toMatchObject({ ok: false, firstBadPosition: 4, reason: 'HEAD_MISMATCH' });
  });

  it('starts from a later position by trusting the first link, and still checks its checkpoints', async () => {
    const log = buildLog('eeeeceec');
    const tail = log.slice(3);
    expect(
      await auditEvents(inPages(tail, 2), { publicKeys, start: { trustLink: true } }),
    ).toMatchObject({ ok: true, from: 4, to: 8, checkpoints: 2, unanchored: 0 });
    // Without the trusted start, a file starting at 4 is a log with positions 1..3 missing.
    expect(await auditEvents(inPages(tail, 2), { publicKeys })).toMatchObject({
      ok: false,
      firstBadPosition: 1,
      reason: 'POSITION_MISMATCH',
    });
  });
});

describe('eventLine', () => {
  it('writes one JSON object per event with every hashed field and both hashes', () => {
    const [event] = buildLog('e');
    if (event === undefined) throw new Error('no event');
    const line = eventLine(event);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(event);
  });
});

describe('runCli usage', () => {
  async function usage(...argv: string[]) {
    const err: string[] = [];
    const code = await runCli(argv, { out: () => undefined, err: (l) => err.push(l), env: {} });
    return { code, err: err.join('\n') };
  }

  it('exits 2 with a reason on bad usage, before touching any database', async () => {
    expect(await usage()).toMatchObject({ code: 2 });
    expect(await usage('frobnicate')).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command'),
    });
    expect(await usage('verify')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--database-url'),
    });
    expect(await usage('verify', '--database-url', 'mysql://x')).toMatchObject({ code: 2 });
    expect(await usage('verify', '--ndjson', 'f', '--from', '3')).toMatchObject({ code: 2 });
    expect(await usage('verify', '--database-url', 'postgres://x/y', '--from', '0')).toMatchObject({
      code: 2,
    });
    expect(
      await usage('verify', '--database-url', 'postgres://x/y', '--expect-head', '5:abc'),
    ).toMatchObject({ code: 2 });
    expect(
      await usage('verify', '--database-url', 'postgres://x/y', '--public-key', '/nonexistent.pub'),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining('cannot load public key'),
    });
    expect(await usage('export', '--database-url', 'postgres://x/y')).toMatchObject({ code: 2 });
    expect(await usage('--help')).toMatchObject({
      code: 0,
      err: expect.stringContaining('usage:'),
    });
  });
});
