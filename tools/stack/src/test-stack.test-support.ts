// The embedded stack for end-to-end tests elsewhere in the repo: the built CLI (`dist/cli.js up`)
// in a throw-away data folder with every port free, as a user would start it, and `down` that
// stops it and removes the folder.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@hpe/embedded';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface TestStack {
  /** The stack's settings (data folder and ports), for anything else started against it. */
  readonly env: Readonly<Record<string, string>>;
  readonly gateway: string;
  readonly natsUrl: string;
  /** The administrator's URL of the stack's PostgreSQL database. */
  readonly databaseUrl: string;
  /** Stops one app of the stack as a crash would (SIGKILL), and waits until it is gone. */
  kill(app: string): Promise<void>;
  /** `stack up` again: starts whatever is not running. */
  up(): Promise<void>;
  down(): Promise<void>;
}

export function runStackCli(
  command: string,
  env: Readonly<Record<string, string>>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, command],
      { env: { ...process.env, ...env }, timeout: 240_000 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`stack ${command} failed: ${stdout}${stderr}`));
        else resolve(`${stdout}${stderr}`);
      },
    );
  });
}

const portSettings = [
  'POSTGRES',
  'NATS',
  'NATS_MONITOR',
  'GATEWAY',
  'LEDGER_HTTP',
  'TURNOUT_HTTP',
  'PROJECTOR_HTTP',
  'VOTER_CARDS_HTTP',
  'TALLIES_HTTP',
  'INCIDENTS_HTTP',
  'ANOMALIES_HTTP',
] as const;

export async function startTestStack(
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hpe-stack-test-'));
  // The stack runs PostgreSQL as an unprivileged user when started as root; it must enter.
  chmodSync(dataDir, 0o755);
  const env: Record<string, string> = { HPE_DATA_DIR: dataDir, ...extraEnv };
  for (const name of portSettings) env[`HPE_${name}_PORT`] = String(await freePort());
  try {
    await runStackCli('up', env);
  } catch (error) {
    await runStackCli('down', env).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    env,
    gateway: `http://127.0.0.1:${env['HPE_GATEWAY_PORT'] ?? ''}`,
    natsUrl: `nats://127.0.0.1:${env['HPE_NATS_PORT'] ?? ''}`,
    databaseUrl: `postgresql://postgres@127.0.0.1:${env['HPE_POSTGRES_PORT'] ?? ''}/election`,
    kill: async (app) => {
      const pid = Number(readFileSync(join(dataDir, 'run', `${app}.pid`), 'utf8').trim());
      process.kill(pid, 'SIGKILL');
      for (let alive = true; alive;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        try {
          process.kill(pid, 0);
        } catch {
          alive = false;
        }
      }
    },
    up: async () => {
      await runStackCli('up', env);
    },
    down: async () => {
      await runStackCli('down', env);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
