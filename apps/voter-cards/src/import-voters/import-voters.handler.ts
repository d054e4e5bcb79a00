// Registers a batch of imported rows: each becomes RegisterVoter on voter-<HMAC(citizenId)>,
// appended at `no_stream` with many appends in flight (the ledger group-commits them). A stream
// that already exists is decided properly: the same row again changes nothing, another row is a
// duplicate registration, recorded on the existing voter's stream. The card index is written after.
import { parseVoterImportLine, type RegisterVoter, type VoterRegistered } from '@hpe/domain';
import type { CommandMetadata, LedgerPort } from '@hpe/service-kit';
import type { AreaDirectory } from '../shared/area-directory.js';
import type { CardIndex, CardIndexEntry } from '../shared/card-index.js';
import type { VoterKeyOf } from '../shared/voter-key.js';
import { voterStreamId } from '../shared/voter-key.js';
import type { VoterStreams } from '../shared/voter-streams.js';
import type { ImportBatchResult, ImportBatchRow } from './import-voters.command.js';

interface Prepared {
  readonly line: number;
  readonly voterKey: string;
  readonly registration: RegisterVoter['data'];
}

type Outcome =
  | { readonly kind: 'imported'; readonly eventId: string; readonly position: number }
  | { readonly kind: 'unchanged'; readonly position: number }
  | {
      readonly kind: 'duplicate';
      readonly eventId: string;
      readonly position: number;
      readonly registeredPollingAreaId: string;
    }
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string };

export interface ImportVotersDeps {
  readonly ledger: LedgerPort;
  readonly streams: VoterStreams;
  readonly index: CardIndex;
  readonly areas: AreaDirectory;
  readonly voterKeyOf: VoterKeyOf;
  readonly concurrency: number;
}

export class ImportVotersHandler {
  constructor(private readonly deps: ImportVotersDeps) {}

  async execute(
    rows: readonly ImportBatchRow[],
    metadata: CommandMetadata,
  ): Promise<ImportBatchResult> {
    const rejected: { line: number; code: string; message: string }[] = [];
    const prepared: Prepared[] = [];
    for (const row of rows) {
      const p = await this.prepare(row);
      if ('code' in p) rejected.push(p);
      else prepared.push(p);
    }
    // A card number belongs to one voter: refuse a row whose card another voter already holds
    // (in the index, or earlier in this batch) before anything is appended.
    const holders = new Map(
      await this.deps.index.holders(prepared.map((p) => p.registration.cardNumber)),
    );
    const chains = new Map<string, Prepared[]>();
    for (const p of prepared) {
      const { cardNumber } = p.registration;
      const holder = holders.get(cardNumber);
      if (holder !== undefined && holder !== p.voterKey) {
        rejected.push({
          line: p.line,
          code: 'CARD.NUMBER_TAKEN',
          message: `line ${p.line}: card ${cardNumber} belongs to another voter`,
        });
        continue;
      }
      holders.set(cardNumber, p.voterKey);
      // Rows of the same citizen run one after another, in line order, so the first one wins.
      const chain = chains.get(p.voterKey);
      if (chain === undefined) chains.set(p.voterKey, [p]);
      else chain.push(p);
    }

    const outcomes = new Map<Prepared, Outcome>();
    const queue = [...chains.values()];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < queue.length) {
        const chain = queue[next];
        next += 1;
        for (const p of chain ?? []) outcomes.set(p, await this.register(p, metadata));
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.deps.concurrency, queue.length) }, () => worker()),
    );

    const eventIds: string[] = [];
    const entries: CardIndexEntry[] = [];
    const duplicates: { line: number; pollingAreaId: string; registeredPollingAreaId: string }[] =
      [];
    let position = 0;
    let imported = 0;
    let unchanged = 0;
    for (const p of prepared) {
      const outcome = outcomes.get(p);
      if (outcome === undefined) continue;
      const entry: CardIndexEntry = {
        cardNumber: p.registration.cardNumber,
        voterKey: p.voterKey,
        homePollingAreaId: p.registration.pollingAreaId,
        listedPollingAreaId: p.registration.pollingAreaId,
        position: 0,
      };
      switch (outcome.kind) {
        case 'imported':
          imported += 1;
          eventIds.push(outcome.eventId);
          position = Math.max(position, outcome.position);
          entries.push({ ...entry, position: outcome.position });
          break;
        case 'unchanged':
          // A retried batch also heals an index entry a crash may have kept from being written.
          unchanged += 1;
          entries.push({ ...entry, position: outcome.position });
          break;
        case 'duplicate':
          eventIds.push(outcome.eventId);
          position = Math.max(position, outcome.position);
          duplicates.push({
            line: p.line,
            pollingAreaId: p.registration.pollingAreaId,
            registeredPollingAreaId: outcome.registeredPollingAreaId,
          });
          break;
        case 'rejected':
          rejected.push({ line: p.line, code: outcome.code, message: outcome.message });
          break;
        default: {
          const never: never = outcome;
          throw new Error(`unknown outcome ${String(never)}`);
        }
      }
    }
    await this.deps.index.register(entries);
    rejected.sort((a, b) => a.line - b.line);
    return { eventIds, position, imported, unchanged, duplicates, rejected };
  }

  /** The row checked again (the gateway did, but a NATS caller may not have) and keyed. */
  private async prepare(
    row: ImportBatchRow,
  ): Promise<Prepared | { line: number; code: string; message: string }> {
    const { line, ...fields } = row;
    const parsed = parseVoterImportLine(JSON.stringify(fields), line);
    if (!parsed.ok) return { line, code: parsed.error.code, message: parsed.error.message };
    const area = await this.deps.areas.find(row.pollingAreaId);
    if (area === undefined)
      return {
        line,
        code: 'POLLING.UNKNOWN_AREA',
        message: `line ${line}: the reference data has no polling area ${row.pollingAreaId}`,
      };
    const { citizenId, gender, ...rest } = parsed.value;
    const voterKey = this.deps.voterKeyOf(citizenId);
    return {
      line,
      voterKey,
      registration: {
        voterKey,
        ...rest,
        ...(gender === undefined ? {} : { gender }),
        cardDistribution: { from: area.cardsFrom, to: area.cardsTo },
      },
    };
  }

  private async register(p: Prepared, metadata: CommandMetadata): Promise<Outcome> {
    const data = p.registration;
    const event: VoterRegistered = { type: 'VoterRegistered', data };
    // The usual case, a new citizen: one append, no read.
    const appended = await this.deps.ledger.append({
      streamId: voterStreamId(p.voterKey),
      expectedRevision: 'no_stream',
      events: [this.deps.streams.envelope(p.voterKey, event, metadata)],
    });
    if (appended.ok) {
      const [eventId] = appended.value.eventIds;
      return { kind: 'imported', eventId: eventId ?? '', position: appended.value.positions[1] };
    }
    if (appended.error.code !== 'STALE_REVISION')
      return {
        kind: 'rejected',
        code: appended.error.code,
        message: `line ${p.line}: ${appended.error.message}`,
      };
    // The stream exists: the same row again, or the citizen on a second list.
    const decided = await this.deps.streams.decide(
      p.voterKey,
      { type: 'RegisterVoter', data },
      metadata,
    );
    if (!decided.ok)
      return {
        kind: 'rejected',
        code: decided.error.code,
        message: `line ${p.line}: ${decided.error.message}`,
      };
    const [first] = decided.value.events;
    if (first === undefined) return { kind: 'unchanged', position: decided.value.position };
    if (first.type !== 'DuplicateRegistrationRefused')
      throw new Error(`a registration on an existing stream decided ${first.type}`);
    return {
      kind: 'duplicate',
      eventId: decided.value.eventIds[0] ?? '',
      position: decided.value.position,
      registeredPollingAreaId: first.data.registeredPollingAreaId,
    };
  }
}
