// nats-server with JetStream as a local process, its store in a folder we choose.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runningPid, startDetached, stopChild, stopPidFile, waitForHttp } from './processes.js';
import { ensureSystemTools } from './system-packages.js';

export interface NatsOptions {
  readonly storeDir: string;
  readonly port: number;
  readonly monitorPort: number;
  readonly logFile: string;
  readonly pidFile: string;
  /** Detached servers outlive this process (the embedded stack); attached ones die with it (tests). */
  readonly detached: boolean;
  readonly log?: (line: string) => void;
}

export interface RunningNats {
  readonly url: string;
  readonly monitorUrl: string;
  stop(): Promise<void>;
}

/** The server's configuration file, written beside its pid file; returns the arguments to start it. */
function prepare(options: NatsOptions): string[] {
  const configFile = join(dirname(options.pidFile), 'nats-server.conf');
  mkdirSync(dirname(configFile), { recursive: true });
  writeFileSync(
    configFile,
    [
      '# written by @hpe/embedded',
      `listen: "127.0.0.1:${options.port}"`,
      `http: "127.0.0.1:${options.monitorPort}"`,
      // Large enough for a batch of events in one message, small enough to refuse garbage.
      'max_payload: 8MB',
      `jetstream { store_dir: ${JSON.stringify(options.storeDir)} }`,
      '',
    ].join('\n'),
  );
  return ['-c', configFile, '-l', options.logFile, '-P', options.pidFile];
}

export async function startNats(options: NatsOptions): Promise<RunningNats> {
  const tools = await ensureSystemTools(['nats-server'], options.log);
  const bin = tools['nats-server'];
  if (bin === undefined) throw new Error('unreachable: ensureSystemTools returned no nats-server');
  mkdirSync(options.storeDir, { recursive: true });
  mkdirSync(dirname(options.logFile), { recursive: true });
  const url = `nats://127.0.0.1:${options.port}`;
  const monitorUrl = `http://127.0.0.1:${options.monitorPort}`;
  let child: ChildProcess | undefined;
  if (runningPid(options.pidFile) === undefined) {
    options.log?.(`starting nats-server (JetStream) on ${url}`);
    if (options.detached) {
      startDetached({
        command: bin,
        args: prepare(options),
        logFile: options.logFile,
        pidFile: options.pidFile,
      });
    } else {
      const out = openSync(options.logFile, 'a');
      child = spawn(bin, prepare(options), { stdio: ['ignore', out, out] });
      closeSync(out);
    }
  }
  const attached = child;
  await waitForHttp(`${monitorUrl}/healthz?js-enabled-only=true`, {
    timeoutMs: 30_000,
    ...(attached ? { isAlive: () => attached.exitCode === null } : {}),
  });
  return {
    url,
    monitorUrl,
    stop: async () => {
      if (attached) {
        await stopChild(attached);
        rmSync(options.pidFile, { force: true });
      } else {
        await stopPidFile(options.pidFile);
      }
    },
  };
}
