// A Server-Sent Events client for tests, on fetch: it parses the stream as the WHATWG event-stream
// format says (fields per line, a blank line ends a frame, `:` comments ignored) and keeps every
// frame with the time it arrived, so tests can wait for one and measure delivery.
export interface SseFrame {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
  /** performance.now() when the frame's last line arrived. */
  readonly receivedAt: number;
}

export interface SseConnection {
  readonly status: number;
  readonly headers: Headers;
  readonly frames: readonly SseFrame[];
  /** The first frame (already received or still to come) that satisfies `match`. */
  waitFor(match: (frame: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  close(): void;
}

export async function openSse(
  url: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<SseConnection> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const frames: SseFrame[] = [];
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const wake of waiters) wake();
  };
  let ended = false;

  if (res.body !== null && res.headers.get('content-type')?.startsWith('text/event-stream')) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      let id: string | undefined;
      let event = '';
      let data: string[] = [];
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let newline = buffer.search(/\r\n|\r|\n/);
          while (newline >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
            newline = buffer.search(/\r\n|\r|\n/);
            if (line === '') {
              if (data.length > 0 || event !== '') {
                frames.push({
                  id,
                  event: event === '' ? 'message' : event,
                  data: data.join('\n'),
                  receivedAt: performance.now(),
                });
                notify();
              }
              [id, event, data] = [undefined, '', []];
              continue;
            }
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const raw = colon < 0 ? '' : line.slice(colon + 1);
            const text = raw.startsWith(' ') ? raw.slice(1) : raw;
            if (field === 'id') id = text;
            else if (field === 'event') event = text;
            else if (field === 'data') data.push(text);
          }
        }
      } catch {
        // Aborted by close(), or the server went away: the frames so far stay readable.
      } finally {
        ended = true;
        notify();
      }
    })();
  } else {
    ended = true;
  }

  return {
    status: res.status,
    headers: res.headers,
    frames,
    waitFor: (match, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = frames.find(match);
          if (found === undefined) return false;
          cleanup();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching frame within ${timeoutMs} ms (${frames.length} frames)`));
        }, timeoutMs);
        const wake = (): void => {
          if (!check() && ended) {
            cleanup();
            reject(
              new Error(`the stream ended without a matching frame (${frames.length} frames)`),
            );
          }
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        waiters.add(wake);
        wake();
      }),
    close: () => abort.abort(),
  };
}
