// A PostgreSQL cluster as a local process with its data in a folder we choose: the embedded
// stack keeps it under the project's data folder; tests keep a throw-away one per run.
import { existsSync, mkdirSync, appendFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { handToService, runAsService, serviceCanUse } from './run-as.js';
import { ensureSystemTools } from './system-packages.js';

export interface PostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly logFile: string;
  readonly database: string;
  /** Durable by default; throw-away test clusters turn fsync off. */
  readonly durable?: boolean;
  readonly log?: (line: string) => void;
}

export interface RunningPostgres {
  readonly url: string;
  readonly adminUrl: string;
  readonly port: number;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
}

async function binDir(log?: (line: string) => void): Promise<string> {
  const tools = await ensureSystemTools(['postgres'], log);
  if (tools.postgres === undefined)
    throw new Error('unreachable: ensureSystemTools returned no postgres');
  return tools.postgres;
}

export function postgresUrl(port: number, database: string): string {
  return `postgresql://postgres@127.0.0.1:${port}/${database}`;
}

/** Creates the cluster if the folder holds none; idempotent. */
export async function initPostgres(options: PostgresOptions): Promise<boolean> {
  const bin = await binDir(options.log);
  if (existsSync(join(options.dataDir, 'PG_VERSION'))) return false;
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  await handToService(options.dataDir);
  if (!(await serviceCanUse(options.dataDir))) {
    throw new Error(
      `PostgreSQL's system user cannot reach ${options.dataDir} (a parent folder is private to root). ` +
        'Choose a data folder it can enter with HPE_DATA_DIR, e.g. HPE_DATA_DIR=/var/tmp/hpe-election.',
    );
  }
  options.log?.(`initialising PostgreSQL cluster in ${options.dataDir}`);
  await runAsService(join(bin, 'initdb'), [
    '-D',
    options.dataDir,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    ...(options.durable === false ? ['--no-sync'] : []),
  ]);
  const settings = [
    '',
    '# embedded stack settings (written by @hpe/embedded)',
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    'max_connections = 300',
    'shared_buffers = 512MB',
    'wal_buffers = 16MB',
    'max_wal_size = 4GB',
    "timezone = 'Asia/Ho_Chi_Minh'",
    ...(options.durable === false
      ? ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off']
      : []),
  ];
  appendFileSync(join(options.dataDir, 'postgresql.conf'), settings.join('\n') + '\n');
  return true;
}

/** Starts the cluster (waiting until it accepts connections) and makes sure the database exists. */
export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const bin = await binDir(options.log);
  await initPostgres(options);
  mkdirSync(dirname(options.logFile), { recursive: true });
  if (!existsSync(options.logFile)) writeFileSync(options.logFile, '');
  await handToService(options.logFile);
  const status = await runAsService(join(bin, 'pg_ctl'), ['-D', options.dataDir, 'status']).catch(
    () => undefined,
  );
  if (status === undefined) {
    options.log?.(`starting PostgreSQL on 127.0.0.1:${options.port}`);
    await runAsService(join(bin, 'pg_ctl'), [
      '-D',
      options.dataDir,
      '-l',
      options.logFile,
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${options.port}`,
      'start',
    ]);
  }
  await createDatabase(bin, options.port, options.database);
  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    await runAsService(join(bin, 'pg_ctl'), [
      '-D',
      options.dataDir,
      '-m',
      mode,
      '-w',
      'stop',
    ]).catch(() => undefined);
  };
  return {
    url: postgresUrl(options.port, options.database),
    adminUrl: postgresUrl(options.port, 'postgres'),
    port: options.port,
    stop,
  };
}

async function createDatabase(bin: string, port: number, database: string): Promise<void> {
  try {
    await runAsService(join(bin, 'createdb'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'postgres',
      database,
    ]);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (!text.includes('already exists')) throw error;
  }
}

/** Stops a cluster by its folder, whoever started it. Quiet when nothing runs. */
export async function stopPostgres(
  dataDir: string,
  mode: 'fast' | 'immediate' = 'fast',
): Promise<boolean> {
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return false;
  const bin = await binDir();
  await runAsService(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', mode, '-w', 'stop']).catch(
    () => undefined,
  );
  return true;
}

export async function postgresRunning(dataDir: string): Promise<boolean> {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) return false;
  const bin = await binDir();
  return runAsService(join(bin, 'pg_ctl'), ['-D', dataDir, 'status']).then(
    () => true,
    () => false,
  );
}
