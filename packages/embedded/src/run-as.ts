// PostgreSQL refuses to run as root; on a root shell (CI, containers) its tools run as the
// `postgres` system user instead, which owns the data folder.
import { execFile, type ExecFileOptions } from 'node:child_process';
import { chownSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const isRoot = (): boolean => process.getuid?.() === 0;

export interface ServiceUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

let cachedUser: ServiceUser | undefined;

export async function postgresServiceUser(): Promise<ServiceUser | undefined> {
  if (!isRoot()) return undefined;
  if (cachedUser) return cachedUser;
  const { stdout: uid } = await execFileAsync('id', ['-u', 'postgres']);
  const { stdout: gid } = await execFileAsync('id', ['-g', 'postgres']);
  cachedUser = { name: 'postgres', uid: Number(uid.trim()), gid: Number(gid.trim()) };
  return cachedUser;
}

/** Runs a program as the PostgreSQL service user when we are root, as ourselves otherwise. */
export async function runAsService(
  file: string,
  args: readonly string[],
  options: ExecFileOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  const user = await postgresServiceUser();
  const [cmd, argv] = user
    ? ['runuser', ['-u', user.name, '--', file, ...args]]
    : [file, [...args]];
  const { stdout, stderr } = await execFileAsync(cmd, argv, { maxBuffer: 16 << 20, ...options });
  return { stdout: String(stdout), stderr: String(stderr) };
}

/** Gives a path (recursively) to the service user so the server can write there. */
export async function handToService(path: string): Promise<void> {
  const user = await postgresServiceUser();
  if (!user || !existsSync(path)) return;
  const walk = (p: string): void => {
    chownSync(p, user.uid, user.gid);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(path);
}

/** Whether the service user can create and enter a folder at this path (always true when not root). */
export async function serviceCanUse(path: string): Promise<boolean> {
  const user = await postgresServiceUser();
  if (!user) return true;
  return execFileAsync('runuser', [
    '-u',
    user.name,
    '--',
    'test',
    '-w',
    path,
    '-a',
    '-x',
    path,
  ]).then(
    () => true,
    () => false,
  );
}
