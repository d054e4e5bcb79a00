// Helpers for the service's integration tests: a nats-server of the test's own (the EVENTS stream
// and the ledger.* subjects must not be shared with other files), settings, and JetStream reads.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startNats, waitForHttp, type RunningNats } from '@hpe/embedded';
import { eventsStreamName, ledgerPositionHeader } from '@hpe/messaging';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { loadLedgerSettings, type LedgerSettings } from './settings.js';

export interface TestNats extends RunningNats {
  readonly dir: string;
  /** Stops the server, keeping its JetStream store, for `restart()`. */
  pause(): Promise<void>;
  /** Starts it again on the same port with the same store. */
  restart(): Promise<void>;
}

export async function startTestNats(): Promise<TestNats> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-nats-'));
  const options = {
    storeDir: join(dir, 'js'),
    port: await freePort(),
    monitorPort: await freePort(),
    logFile: join(dir, 'nats.log'),
    pidFile: join(dir, 'nats.pid'),
    detached: false,
  };
  let nats: RunningNats | undefined = await startNats(options);
  const pause = async (): Promise<void> => {
    await nats?.stop();
    nats = undefined;
  };
  return {
    url: nats.url,
    monitorUrl: nats.monitorUrl,
    dir,
    pause,
    restart: async () => {
      nats ??= await startNats(options);
    },
    stop: async () => {
      await pause();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The environment a ledger instance runs with in tests (also passed to child processes). */
export async function ledgerEnv(
  databaseUrl: string,
  natsUrl: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    HTTP_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

export async function ledgerSettings(
  databaseUrl: string,
  natsUrl: string,
  extra: Record<string, string> = {},
): Promise<LedgerSettings> {
  return loadLedgerSettings(await ledgerEnv(databaseUrl, natsUrl, extra));
}

export interface JetStreamEvent {
  readonly seq: number;
  readonly subject: string;
  readonly msgId: string;
  readonly position: number;
  readonly eventId: string;
}

/** Every message of EVENTS, by sequence, in stream order. */
export async function readEventsStream(nc: NatsConnection): Promise<JetStreamEvent[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(eventsStreamName);
  const out: JetStreamEvent[] = [];
  if (info.state.last_seq === 0) return out;
  const chunk = 200;
  for (let from = info.state.first_seq; from <= info.state.last_seq; from += chunk) {
    const seqs = Array.from(
      { length: Math.min(chunk, info.state.last_seq - from + 1) },
      (_, i) => from + i,
    );
    const msgs = await Promise.all(
      seqs.map((seq) => jsm.streams.getMessage(eventsStreamName, { seq })),
    );
    for (const msg of msgs) {
      if (msg === null) throw new Error('a message of EVENTS is missing');
      const body = msg.json<{ eventId: string }>();
      out.push({
        seq: msg.seq,
        subject: msg.subject,
        msgId: msg.header.get('Nats-Msg-Id'),
        position: Number(msg.header.get(ledgerPositionHeader)),
        eventId: body.eventId,
      });
    }
  }
  return out;
}

export interface LedgerProcess {
  readonly pid: number;
  readonly healthUrl: string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
}

const mainJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Runs the built ledger (apps/ledger/dist/main.js) as a process of its own, as a supervisor would. */
export async function startLedgerProcess(
  env: Record<string, string>,
  logFile: string,
): Promise<LedgerProcess> {
  if (!existsSync(mainJs)) {
    throw new Error(`${mainJs} is missing: build apps/ledger (npx tsc -p tsconfig.build.json)`);
  }
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--enable-source-maps', mainJs], {
    // Only the ledger's own settings: the child reads nothing else. Its log is kept (info) for
    // whoever investigates a failure.
    env: { ...env, TZ: 'Asia/Ho_Chi_Minh', LOG_LEVEL: 'info' },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new Error('the ledger process did not start');
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const healthUrl = `http://127.0.0.1:${env['HTTP_PORT']}`;
  await waitForHttp(`${healthUrl}/health/ready`, {
    timeoutMs: 30_000,
    isAlive: () => child.exitCode === null && child.signalCode === null,
  });
  return { pid, healthUrl, exited, kill: (signal) => child.kill(signal) };
}

/** The role an instance reports on its readiness endpoint. */
export async function reportedRole(healthUrl: string): Promise<string> {
  const res = await fetch(`${healthUrl}/health/ready`);
  return ((await res.json()) as { role?: string }).role ?? 'unknown';
}
