// W3C trace context (https://www.w3.org/TR/trace-context/): one fresh, sampled `traceparent` per
// request, so a slow request in the load test can be found in the traces of every hop.
import { mathRandomBytes, toHex, type RandomBytes } from './random-ids.ts';

export const traceparentPattern = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

/** An id of `length` random bytes that is not all zeros (the spec calls all-zero ids invalid). */
function nonZeroId(random: RandomBytes, length: number): string {
  for (;;) {
    const bytes = random(length);
    if (bytes.some((b) => b !== 0)) return toHex(bytes);
  }
}

export interface TraceContext {
  readonly traceId: string;
  readonly spanId: string;
  /** `00-<trace id>-<parent span id>-01`: version 00, sampled. */
  readonly header: string;
}

export function newTraceContext(random: RandomBytes = mathRandomBytes): TraceContext {
  const traceId = nonZeroId(random, 16);
  const spanId = nonZeroId(random, 8);
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
}

export function traceparent(random: RandomBytes = mathRandomBytes): string {
  return newTraceContext(random).header;
}
