// Reading the whole log page by page with the next page fetched while the caller works on this
// one: shared by every store, whatever reads a page.
import type { RecordedEvent } from '@hpe/domain';

export async function* prefetchedPages(
  readPage: (fromPosition: number, limit: number) => Promise<RecordedEvent[]>,
  fromPosition: number,
  pageSize: number,
): AsyncGenerator<RecordedEvent[]> {
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`pageSize must be a positive integer, got ${String(pageSize)}`);
  }
  let next: Promise<RecordedEvent[]> | undefined = readPage(Math.max(fromPosition, 1), pageSize);
  while (next !== undefined) {
    const page: RecordedEvent[] = await next;
    const last = page.at(-1);
    if (last === undefined) return;
    next = page.length < pageSize ? undefined : readPage(last.position + 1, pageSize);
    // If the caller stops early the prefetch is abandoned; its failure must not go unhandled.
    next?.catch(() => undefined);
    yield page;
  }
}
