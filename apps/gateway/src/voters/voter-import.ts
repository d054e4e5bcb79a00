// The streamed voter import: reads the NDJSON body line by line, checks each line with the
// domain's parseVoterImportLine and the caller's scope, and sends the rows in batches of 1,000 to
// `voters.import-batch` (a few batches in flight), merging the answers into one report. Citizen
// ids go only to the voter-cards service; no message here or in the report ever quotes a line.
import { Inject, Injectable } from '@nestjs/common';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { parseVoterImportLine, type VoterImportRow } from '@hpe/domain';
import { voterCardSubjects } from '@hpe/service-kit';
import { injectTraceContext, natsHeadersCarrier, traceparentForMetadata } from '@hpe/telemetry';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import { PollingAreaCommunes } from '../reference/polling-area-communes.js';
import { LOGGER, NATS } from '../tokens.js';
import { ndjsonLines } from './ndjson-lines.js';

export const voterImportLimits = {
  /** Rows per `voters.import-batch` request (about 200 kB of JSON). */
  batchRows: 1_000,
  /** Batches awaiting their answer at once: keeps the service and the ledger busy, memory bounded. */
  batchesInFlight: 4,
  /** The import's own body limit; every other route keeps HTTP_BODY_LIMIT. */
  maxBodyBytes: 1 << 30,
  /** Longer lines are refused unread (a real row is under 200 characters; UTF-8 up to 4 bytes). */
  maxLineBytes: 4_096,
  /** Entries kept in each of the report's lists; the totals count them all. */
  maxListed: 1_000,
  /** A batch's answer may take this long (1,000 appends under load). */
  batchTimeoutMs: 120_000,
  progressEvery: 100_000,
} as const;

export interface ImportDuplicate {
  readonly line: number;
  readonly pollingAreaId: string;
  readonly registeredPollingAreaId: string;
}

export interface ImportRejection {
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

export interface ImportReport {
  /** Lines read (blank ones included, so line numbers match the file). */
  lines: number;
  imported: number;
  /** Rows registered exactly so before (the file sent again): nothing new recorded. */
  unchanged: number;
  duplicates: ImportDuplicate[];
  duplicatesTotal: number;
  rejected: ImportRejection[];
  rejectedTotal: number;
  /** The highest log position this import appended (0 when it appended nothing). */
  position: number;
}

/** How an import stopped early, with what it had done by then. */
export class ImportInterrupted extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    readonly report: ImportReport,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'ImportInterrupted';
  }
}

type BatchRow = VoterImportRow & { readonly line: number };

interface BatchAnswer {
  readonly position: number;
  readonly imported: number;
  readonly unchanged: number;
  readonly duplicates: readonly ImportDuplicate[];
  readonly rejected: readonly ImportRejection[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

@Injectable()
export class VoterImport {
  private readonly encoder = new TextEncoder();

  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(PollingAreaCommunes) private readonly communes: PollingAreaCommunes,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async run(body: Readable, principal: Principal, correlationId: string): Promise<ImportReport> {
    const limits = voterImportLimits;
    const report: ImportReport = {
      lines: 0,
      imported: 0,
      unchanged: 0,
      duplicates: [],
      duplicatesTotal: 0,
      rejected: [],
      rejectedTotal: 0,
      position: 0,
    };
    const reject = (r: ImportRejection): void => {
      report.rejectedTotal += 1;
      if (report.rejected.length < limits.maxListed) report.rejected.push(r);
    };
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    let failure: { code: string; message: string; firstLine: number } | undefined;
    let rows = 0;
    let batch: BatchRow[] = [];
    const dispatch = async (): Promise<void> => {
      const sent = batch;
      batch = [];
      while (inFlight.size >= limits.batchesInFlight) await Promise.race(inFlight);
      const done: Promise<void> = this.sendBatch(sent, principal, correlationId).then((answer) => {
        if ('code' in answer) {
          failure ??= { ...answer, firstLine: sent[0]?.line ?? 0 };
          return;
        }
        report.imported += answer.imported;
        report.unchanged += answer.unchanged;
        report.position = Math.max(report.position, answer.position);
        for (const d of answer.duplicates) {
          report.duplicatesTotal += 1;
          if (report.duplicates.length < limits.maxListed) report.duplicates.push(d);
        }
        for (const r of answer.rejected) reject(r);
      });
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    };

    const finishInFlight = async (): Promise<void> => {
      await Promise.all(inFlight);
      report.rejected.sort((a, b) => a.line - b.line);
      report.duplicates.sort((a, b) => a.line - b.line);
    };
    try {
      for await (const line of ndjsonLines(body, limits)) {
        report.lines = line.lineNumber;
        if ('tooLong' in line) {
          reject({
            line: line.lineNumber,
            code: 'VOTER.IMPORT_LINE_TOO_LONG',
            message: `line ${line.lineNumber}: longer than ${limits.maxLineBytes} bytes`,
          });
          continue;
        }
        if (line.text.trim() === '') continue;
        const parsed = parseVoterImportLine(line.text, line.lineNumber);
        if (!parsed.ok) {
          reject({ line: line.lineNumber, code: parsed.error.code, message: parsed.error.message });
          continue;
        }
        const scoped = await this.scopeProblem(
          principal,
          parsed.value.pollingAreaId,
          line.lineNumber,
        );
        if (scoped !== undefined) {
          reject(scoped);
          continue;
        }
        batch.push({ ...parsed.value, line: line.lineNumber });
        rows += 1;
        if (batch.length >= limits.batchRows) await dispatch();
        if (rows % limits.progressEvery === 0) {
          const seconds = (performance.now() - started) / 1_000;
          this.logger.info(
            {
              correlationId,
              rows,
              imported: report.imported,
              rowsPerSecond: Math.round(rows / seconds),
            },
            'voter import progress',
          );
        }
        if (failure !== undefined) break;
      }
      if (batch.length > 0 && failure === undefined) await dispatch();
    } catch (error) {
      await finishInFlight();
      throw error;
    }
    await finishInFlight();
    const seconds = (performance.now() - started) / 1_000;
    this.logger.info(
      {
        correlationId,
        lines: report.lines,
        imported: report.imported,
        duplicates: report.duplicatesTotal,
        rejected: report.rejectedTotal,
        seconds: Math.round(seconds * 10) / 10,
      },
      'voter import finished',
    );
    if (failure !== undefined) {
      throw new ImportInterrupted(
        failure.code,
        `the batch from line ${failure.firstLine} failed (${failure.message}); send the file again: rows already imported come back as unchanged`,
        report,
      );
    }
    return report;
  }

  private async scopeProblem(
    principal: Principal,
    pollingAreaId: string,
    line: number,
  ): Promise<ImportRejection | undefined> {
    const communeId = await this.communes.communeOf(pollingAreaId);
    if (communeId === undefined)
      return {
        line,
        code: 'POLLING.UNKNOWN_AREA',
        message: `line ${line}: no polling area ${pollingAreaId}`,
      };
    if (principal.role === 'commune' && principal.scope.communeId !== communeId)
      return {
        line,
        code: 'FORBIDDEN_SCOPE',
        message: `line ${line}: polling area ${pollingAreaId} is outside commune ${principal.scope.communeId ?? ''}`,
      };
    return undefined;
  }

  private async sendBatch(
    rows: readonly BatchRow[],
    principal: Principal,
    correlationId: string,
  ): Promise<BatchAnswer | { code: string; message: string }> {
    const traceparent = traceparentForMetadata();
    const payload = {
      rows,
      actor: { id: principal.username, role: principal.role },
      correlationId,
      ...(traceparent === undefined ? {} : { traceparent }),
    };
    const h = natsHeaders();
    injectTraceContext(natsHeadersCarrier(h));
    let reply: unknown;
    try {
      const msg = await this.nc.request(
        voterCardSubjects.importBatch,
        this.encoder.encode(JSON.stringify(payload)),
        { timeout: voterImportLimits.batchTimeoutMs, headers: h },
      );
      reply = JSON.parse(msg.string());
    } catch (error) {
      this.logger.warn({ err: error, correlationId }, 'voter import batch got no answer');
      return { code: 'UNAVAILABLE', message: 'the voter-cards service did not answer' };
    }
    if (isRecord(reply) && reply['ok'] === true && isRecord(reply['value'])) {
      const v = reply['value'];
      return {
        position: typeof v['position'] === 'number' ? v['position'] : 0,
        imported: typeof v['imported'] === 'number' ? v['imported'] : 0,
        unchanged: typeof v['unchanged'] === 'number' ? v['unchanged'] : 0,
        duplicates: Array.isArray(v['duplicates']) ? (v['duplicates'] as ImportDuplicate[]) : [],
        rejected: Array.isArray(v['rejected']) ? (v['rejected'] as ImportRejection[]) : [],
      };
    }
    const error = isRecord(reply) && isRecord(reply['error']) ? reply['error'] : {};
    const code = typeof error['code'] === 'string' ? error['code'] : 'BAD_GATEWAY';
    this.logger.error({ correlationId, code }, 'voter import batch refused');
    return {
      code: code === 'LEDGER_UNAVAILABLE' ? 'UNAVAILABLE' : 'BAD_GATEWAY',
      message: typeof error['message'] === 'string' ? error['message'] : code,
    };
  }
}
