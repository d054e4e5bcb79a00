// The stack scripts as a user runs them: the built CLI, real PostgreSQL, nats-server and apps as
// separate processes, in a throw-away data folder on free ports.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@hpe/embedded';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

interface Run {
  code: number;
  out: string;
}

function stack(command: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, command],
      { env: { ...process.env, ...env }, timeout: 240_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

let dataDir: string;
let env: Record<string, string>;
let gateway: string;
let ledger: string;
let databaseUrl: string;
let natsMonitor: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hpe-stack-'));
  chmodSync(dataDir, 0o755);
  const [pgPort, natsPort, monitorPort, gatewayPort, ledgerPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const servicePorts: Record<string, string> = {};
  for (const name of ['TURNOUT', 'PROJECTOR', 'VOTER_CARDS', 'TALLIES', 'INCIDENTS', 'ANOMALIES']) {
    servicePorts[`HPE_${name}_HTTP_PORT`] = String(await freePort());
  }
  env = {
    HPE_DATA_DIR: dataDir,
    HPE_POSTGRES_PORT: String(pgPort),
    HPE_NATS_PORT: String(natsPort),
    HPE_NATS_MONITOR_PORT: String(monitorPort),
    HPE_GATEWAY_PORT: String(gatewayPort),
    HPE_LEDGER_HTTP_PORT: String(ledgerPort),
    ...servicePorts,
  };
  ledger = `http://127.0.0.1:${ledgerPort}`;
  gateway = `http://127.0.0.1:${gatewayPort}`;
  databaseUrl = `postgresql://postgres@127.0.0.1:${pgPort}/election`;
  natsMonitor = `http://127.0.0.1:${monitorPort}`;
});

afterAll(async () => {
  await stack('down', env);
  rmSync(dataDir, { recursive: true, force: true });
});

async function count(sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, string>>(sql);
    return Number(Object.values(rows[0] ?? {})[0]);
  } finally {
    await client.end();
  }
}

describe('the embedded stack', () => {
  it('stack:up starts everything, loads the reference dataset and returns when all are healthy', async () => {
    const up = await stack('up', env);
    expect(up.out).toContain('stack is up');
    expect(up.code).toBe(0);
    const ready = await fetch(`${gateway}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      checks: { postgres: { ok: true }, nats: { ok: true }, ledger: { ok: true } },
    });
    const ledgerReady = await fetch(`${ledger}/health/ready`);
    expect(ledgerReady.status).toBe(200);
    expect(await ledgerReady.json()).toMatchObject({
      status: 'ok',
      role: 'leader',
      relay: { lag: 0 },
    });
    expect(await count('select count(*) from ledger.events')).toBe(0);
    expect((await fetch(`${gateway}/health/live`)).status).toBe(200);

    expect(await count('select count(*) from commune')).toBe(114);
    expect(await count('select count(*) from polling_area')).toBe(2577);
    expect(await count("select count(*) from polling_area where kind = 'separate'")).toBe(40);
    expect(await count('select sum(voters_on_list) from polling_area')).toBe(3_189_339);
    expect(await count("select count(*) from electoral_unit where level = 'na'")).toBe(7);
    expect(await count("select count(*) from electoral_unit where level = 'city'")).toBe(18);
    expect(await count('select count(*) from candidate')).toBe(33 + 139 + 3952);
    expect(
      await count('select count(*) from "_prisma_migrations" where finished_at is not null'),
    ).toBeGreaterThan(0);

    const jsz = (await (
      await fetch(`${natsMonitor}/jsz?accounts=true&streams=true&config=true`)
    ).json()) as {
      account_details?: { stream_detail?: { name: string; config?: { subjects?: string[] } }[] }[];
    };
    const streams = jsz.account_details?.flatMap((a) => a.stream_detail ?? []) ?? [];
    expect(streams.find((s) => s.name === 'EVENTS')?.config?.subjects).toEqual(['events.>']);
  });

  it('seeds the demo users and logs one in through the gateway', async () => {
    expect(await count('select count(*) from users')).toBe(4 + 114 + 2577);
    const login = await fetch(`${gateway}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'commune-11948', password: 'election-day-2026' }),
    });
    expect(login.status).toBe(200);
    const token = (await login.json()) as { accessToken: string; role: string };
    expect(token.role).toBe('commune');
    const me = await fetch(`${gateway}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${token.accessToken}` },
    });
    expect(await me.json()).toEqual({
      username: 'commune-11948',
      role: 'commune',
      scope: { communeId: '11948' },
    });
    expect((await fetch(`${gateway}/api/v1/auth/me`)).status).toBe(401);
  });

  it('answers unknown routes with problem+json, not a crash', async () => {
    const res = await fetch(`${gateway}/api/v1/nothing-here`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('stack:status says what runs and where the logs are', async () => {
    const status = await stack('status', env);
    expect(status.code).toBe(0);
    for (const name of [
      'postgres',
      'nats-server',
      'ledger',
      'turnout',
      'voter-cards',
      'tallies',
      'incidents',
      'projector',
      'anomalies',
      'gateway',
    ])
      expect(status.out).toMatch(new RegExp(`${name}\\s+running`));
    expect(status.out).toContain(join(dataDir, 'logs', 'gateway.log'));
    const gatewayLog = readFileSync(join(dataDir, 'logs', 'gateway.log'), 'utf8')
      .trim()
      .split('\n');
    const listening = gatewayLog
      .map((l) => JSON.parse(l) as { msg?: string })
      .find((l) => l.msg === 'gateway listening');
    expect(listening).toBeDefined();
  });

  it('stack:up again is a no-op that keeps the loaded data', async () => {
    const again = await stack('up', env);
    expect(again.code).toBe(0);
    expect(again.out).toContain('already running');
    expect(again.out).toContain('already loaded');
  });

  it('refuses to load another reference dataset over the one it holds, changing nothing', async () => {
    const other = await stack('up', { ...env, HPE_REFERENCE_SEED: 'another-seed' });
    expect(other.code).not.toBe(0);
    expect(other.out).toContain('another reference dataset');
    expect(await count('select count(*) from reference_dataset')).toBe(1);
    expect(await count('select count(*) from polling_area')).toBe(2577);
  });

  it('refuses bad settings with a message naming the variable', async () => {
    const bad = await stack('status', { ...env, HPE_GATEWAY_PORT: 'eighty' });
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('HPE_GATEWAY_PORT');
  });

  it('stack:down stops everything; stack:up brings the same data back', async () => {
    const down = await stack('down', env);
    expect(down.code).toBe(0);
    const status = await stack('status', env);
    expect(status.code).toBe(3);
    expect(status.out).not.toMatch(/running/);
    await expect(fetch(`${gateway}/health/live`)).rejects.toThrow();
    await expect(fetch(`${ledger}/health/live`)).rejects.toThrow();

    const up = await stack('up', env);
    expect(up.code).toBe(0);
    expect(up.out).toContain('already loaded');
    expect(await count('select count(*) from polling_area')).toBe(2577);
  });

  it('stack:reset wipes all stack data', async () => {
    const reset = await stack('reset', env);
    expect(reset.code).toBe(0);
    for (const sub of ['postgres', 'nats', 'run'])
      expect(existsSync(join(dataDir, sub))).toBe(false);
    // The only thing left is the stack's own log, saying what reset did.
    expect(readdirSync(join(dataDir, 'logs'))).toEqual(['stack.log']);
    expect(readFileSync(join(dataDir, 'logs', 'stack.log'), 'utf8')).toContain(
      'wiped all stack data',
    );
  });
});
