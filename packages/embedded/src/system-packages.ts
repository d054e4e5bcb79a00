// Finds the PostgreSQL, nats-server and Chromium binaries the embedded stack needs, and installs
// the missing ones from Debian's packages when the process may (root, or password-less sudo).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type SystemTool = 'postgres' | 'nats-server' | 'chromium';

const debianPackage: Record<SystemTool, string> = {
  postgres: 'postgresql',
  'nats-server': 'nats-server',
  chromium: 'chromium',
};

export class MissingSystemToolError extends Error {
  constructor(
    readonly tool: SystemTool,
    detail: string,
  ) {
    super(
      `${tool} is not installed and could not be installed (${detail}). ` +
        `Install the Debian package "${debianPackage[tool]}" (apt-get install ${debianPackage[tool]}) and try again.`,
    );
    this.name = 'MissingSystemToolError';
  }
}

/** The newest PostgreSQL server bin directory on the machine, or undefined. */
export function findPostgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(`${root}/${v}/bin/postgres`))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return `${root}/${versions[0]}/bin`;
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(`${dir}/postgres`) && existsSync(`${dir}/initdb`)) return dir;
  }
  return undefined;
}

export function findExecutable(name: string): string | undefined {
  for (const dir of [
    ...(process.env.PATH ?? '').split(':'),
    '/usr/sbin',
    '/usr/bin',
    '/usr/local/bin',
  ]) {
    if (dir && existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return undefined;
}

function locate(tool: SystemTool): string | undefined {
  switch (tool) {
    case 'postgres':
      return findPostgresBinDir();
    case 'nats-server':
      return findExecutable('nats-server');
    case 'chromium':
      return findExecutable('chromium');
    default: {
      const never: never = tool;
      throw new Error(`unknown tool ${String(never)}`);
    }
  }
}

let aptUpdated = false;

async function privileged(cmd: string, args: string[]): Promise<void> {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    await run(cmd, args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 << 20,
    });
    return;
  }
  await run('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', cmd, ...args], {
    maxBuffer: 64 << 20,
  });
}

/**
 * Returns where each tool lives, installing the missing ones with apt-get first.
 * `log` receives one line per action so a first run on a fresh machine says what it is doing.
 */
export async function ensureSystemTools(
  tools: readonly SystemTool[],
  log: (line: string) => void = () => undefined,
): Promise<Record<SystemTool, string | undefined>> {
  const found: Record<SystemTool, string | undefined> = {
    postgres: undefined,
    'nats-server': undefined,
    chromium: undefined,
  };
  const missing = tools.filter((t) => {
    found[t] = locate(t);
    return found[t] === undefined;
  });
  if (missing.length > 0) {
    const pkgs = missing.map((t) => debianPackage[t]);
    log(`installing missing system packages: ${pkgs.join(', ')} (apt-get)`);
    try {
      if (!aptUpdated) {
        await privileged('apt-get', ['update', '-qq']);
        aptUpdated = true;
      }
      await privileged('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs]);
    } catch (error) {
      const tool = missing[0] as SystemTool;
      throw new MissingSystemToolError(
        tool,
        error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
      );
    }
    for (const t of missing) {
      found[t] = locate(t);
      if (found[t] === undefined)
        throw new MissingSystemToolError(t, 'apt-get finished but the binary is not there');
    }
  }
  return found;
}
