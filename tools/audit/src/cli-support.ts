// What every hpe-audit command shares: the exit codes, the usage error, where output goes, and the
// checks of the arguments an auditor types (database URL, positions).

/** Exit codes, documented in docs/audit.md. */
export const exitCodes = {
  ok: 0,
  failed: 1,
  usage: 2,
  unavailable: 3,
  internal: 4,
} as const;

/** Bad usage: the command line asks for something the tool cannot do (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function databaseUrl(flag: string | undefined, io: Io): string {
  const url = flag ?? io.env.DATABASE_URL;
  if (url === undefined || url === '') {
    throw new UsageError('give --database-url <url> (or set DATABASE_URL)');
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new UsageError('the database URL must start with postgres:// or postgresql://');
  }
  return url;
}

export function positionArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${name} must be a position ≥ 1, got ${value}`);
  }
  return n;
}

export function isParseArgsError(error: unknown): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS_')
  );
}

/** Network-level failures (refused, unreachable, timed out), as opposed to a failed query. */
export function isConnectError(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isConnectError);
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  return (
    /^(ECONN|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_)/.test(code) ||
    /timeout|terminated unexpectedly/i.test(error.message)
  );
}

export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describeError).join('; ');
  }
  return error instanceof Error ? error.message || error.name : String(error);
}
