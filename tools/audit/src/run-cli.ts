// The auditor's commands behind hpe-audit: `verify` checks the hash chain and every signed
// checkpoint (database or exported file); `export` writes the log as resumable NDJSON; `replay`
// and `diff` rebuild the read models from the log and compare them with the live ones
// (replay-commands.ts).
import type { KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  loadPublicKey,
  verifyLedger,
  type VerifyLedgerOptions,
  type VerifyLedgerResult,
} from '@hpe/ledger';
import { auditEvents, type AuditResult } from './audit-log.js';
import {
  databaseUrl,
  describeError,
  exitCodes,
  isConnectError,
  isParseArgsError,
  positionArg,
  UsageError,
  type Io,
} from './cli-support.js';
import { LedgerUnavailableError, openLedgerReader } from './ledger-reader.js';
import { exportNdjson, ndjsonPages, NdjsonFormatError } from './ndjson.js';
import { createProgress } from './progress.js';
import {
  DatabaseUnavailableError,
  diffCommand,
  replayCommand,
  replayUsage,
} from './replay-commands.js';
import { ReplayFailedError } from './read-model-replay.js';

const usage = `usage:
  hpe-audit verify --database-url <url> [--public-key <file> ...] [--from N] [--to N]
                   [--expect-head P:HASH] [--workers N] [--json]
  hpe-audit verify --ndjson <file> [--public-key <file> ...] [--expect-head P:HASH] [--json]
  hpe-audit export --database-url <url> --out <file.ndjson> [--from N]
${replayUsage}

The database URL may also come from DATABASE_URL. Exit codes: 0 verified, exported, or the read
models equal the replay; 1 the log failed verification (or the file is not an export of this
ledger), or the read models differ from the replay; 2 bad usage, 3 the database could not be
reached or read, 4 an internal error.`;

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'verify':
        return await verifyCommand(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      case 'replay':
        return await replayCommand(rest, io);
      case 'diff':
        return await diffCommand(rest, io);
      case undefined:
      case '--help':
      case '-h':
        io.err(usage);
        return command === undefined ? exitCodes.usage : exitCodes.ok;
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`hpe-audit: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
      return exitCodes.usage;
    }
    if (error instanceof LedgerUnavailableError || error instanceof DatabaseUnavailableError) {
      io.err(`hpe-audit: ${error.message}`);
      return exitCodes.unavailable;
    }
    if (error instanceof ReplayFailedError) {
      io.out(`FAILED at position ${error.position}: REPLAY_FAILED (${error.message})`);
      return exitCodes.failed;
    }
    if (error instanceof NdjsonFormatError) {
      io.out(`FAILED at line ${error.line}: MALFORMED_FILE (${error.message})`);
      return exitCodes.failed;
    }
    io.err(
      `hpe-audit: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return exitCodes.internal;
  }
}

async function verifyCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'database-url': { type: 'string' },
      ndjson: { type: 'string' },
      'public-key': { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      'expect-head': { type: 'string' },
      json: { type: 'boolean', default: false },
      workers: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const publicKeys = loadKeys(values['public-key'] ?? []);
  const from = positionArg('--from', values.from);
  const to = positionArg('--to', values.to);
  const expectHead = headArg(values['expect-head']);
  const workers = workersArg(values.workers);
  const progress = createProgress('verify', io.err);
  const onProgress = (n: number) => progress.update(n);
  const common = { publicKeys, onProgress, ...(expectHead === undefined ? {} : { expectHead }) };

  let result: AuditResult;
  if (values.ndjson !== undefined) {
    if (values['database-url'] !== undefined) {
      throw new UsageError('give either --database-url or --ndjson, not both');
    }
    if (from !== undefined || to !== undefined || workers !== undefined) {
      throw new UsageError('--from, --to and --workers apply to the database only');
    }
    // An export may start past position 1 (export --from): its first line's link is taken as given.
    result = await auditEvents(ndjsonPages(values.ndjson), {
      ...common,
      start: { trustLink: true },
    });
  } else {
    const url = databaseUrl(values['database-url'], io);
    if (from !== undefined && to !== undefined && to < from) {
      throw new UsageError('--to must not be below --from');
    }
    result = await verifyDatabase({
      databaseUrl: url,
      publicKeys,
      ...(from === undefined ? {} : { fromPosition: from }),
      ...(to === undefined ? {} : { toPosition: to }),
      ...(expectHead === undefined ? {} : { expectHead }),
      ...(workers === undefined ? {} : { workers }),
    });
  }
  progress.finish(result.count);
  report(result, values.json, io);
  return result.ok ? exitCodes.ok : exitCodes.failed;
}

function report(result: AuditResult, json: boolean, io: Io): void {
  if (json) {
    io.out(JSON.stringify(result));
    return;
  }
  if (!result.ok) {
    io.out(`FAILED at position ${result.firstBadPosition}: ${result.reason} (${result.detail})`);
    return;
  }
  if (result.count === 0) {
    io.out('ok: no events to verify');
    return;
  }
  const signers = result.fingerprints.length === 0 ? 'nobody' : result.fingerprints.join(', ');
  io.out(
    `ok: verified positions ${result.from}..${result.to} (head ${result.headHash}), ${result.checkpoints} checkpoints signed by ${signers}`,
  );
  if (result.from > 1) {
    io.err(`note: the link into position ${result.from} was taken from the stored prevHash`);
  }
  if (result.unanchored > 0) {
    io.err(
      `note: ${result.unanchored} checkpoint(s) sign positions before ${result.from}: signature checked, head not`,
    );
  }
  const covered = result.lastCheckpoint?.headPosition ?? result.from - 1;
  if (covered < result.to) {
    io.err(
      `note: positions ${covered + 1}..${result.to} come after the last signed head; only the chain covers them`,
    );
  }
}

async function exportCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'database-url': { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.out === undefined) throw new UsageError('export needs --out <file.ndjson>');
  const from = positionArg('--from', values.from);
  const url = databaseUrl(values['database-url'], io);
  const progress = createProgress('export', io.err);
  const reader = await openLedgerReader(url);
  try {
    const summary = await exportNdjson({
      reader,
      out: values.out,
      ...(from === undefined ? {} : { from }),
      onProgress: (n) => progress.update(n),
    });
    progress.finish(summary.written);
    const resumed = summary.resumed
      ? ` (resumed at ${summary.from}${summary.droppedBytes > 0 ? `, dropped a torn last line of ${summary.droppedBytes} bytes` : ''})`
      : '';
    io.out(
      summary.written === 0
        ? `ok: nothing new to export after position ${summary.from - 1}${resumed}`
        : `ok: exported positions ${summary.from}..${summary.to} to ${values.out}${resumed}`,
    );
    return exitCodes.ok;
  } finally {
    await reader.close();
  }
}

function loadKeys(paths: readonly string[]): KeyObject[] {
  return paths.map((path) => {
    try {
      return loadPublicKey(path);
    } catch (error) {
      throw new UsageError(
        `cannot load public key ${path}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
}

/** Worker threads for the chain pass: 1 verifies on the main thread; one per core by default. */
function workersArg(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64) {
    throw new UsageError(`--workers must be a whole number from 1 to 64, got ${value}`);
  }
  return n;
}

/**
 * The database audit through the ledger's verifyLedger (chain on worker threads, then the
 * checkpoints), in the auditor's result shape. Any failure to read is the database's: exit 3.
 */
async function verifyDatabase(options: VerifyLedgerOptions): Promise<AuditResult> {
  let result: VerifyLedgerResult;
  try {
    result = await verifyLedger(options);
  } catch (error) {
    const what = isConnectError(error)
      ? 'cannot connect to the ledger database'
      : 'cannot read ledger.events';
    throw new LedgerUnavailableError(`${what}: ${describeError(error)}`, { cause: error });
  }
  const { checkedFrom, checkedTo, ...rest } = result;
  return { ...rest, from: checkedFrom, to: checkedTo };
}

/** `P:HASH`, the form docs/audit.md tells auditors to record a signed head in. */
function headArg(value: string | undefined): { position: number; hash: string } | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+):([0-9a-f]{64})$/.exec(value);
  const position = Number(match?.[1]);
  const hash = match?.[2];
  if (hash === undefined || !Number.isSafeInteger(position) || position < 1) {
    throw new UsageError(`--expect-head must be <position>:<64 hex hash>, got ${value}`);
  }
  return { position, hash };
}
