// The service's health endpoints on plain node:http: /health/live says the process answers;
// /health/ready says its NATS connection is up and the ledger answers `ledger.head`.
import { createServer } from 'node:http';

export interface CheckResult {
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

export interface ReadinessReport {
  readonly status: 'ok' | 'unavailable';
  readonly checks: Readonly<Record<string, CheckResult>>;
}

export interface RunningHealthServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Runs a check with a time limit, reporting its latency and, on failure, why. */
export async function timedCheck(
  check: () => Promise<void>,
  timeoutMs: number,
): Promise<CheckResult> {
  const started = performance.now();
  const latencyMs = (): number => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: latencyMs() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, latencyMs: latencyMs(), error: message };
  } finally {
    clearTimeout(timer);
  }
}

export async function startHealthServer(options: {
  readonly host: string;
  readonly port: number;
  readonly readiness: () => Promise<ReadinessReport>;
}): Promise<RunningHealthServer> {
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return reply(405, { status: 'method not allowed' });
    if (path === '/health/live') return reply(200, { status: 'ok' });
    if (path === '/health/ready') {
      options.readiness().then(
        (report) => reply(report.status === 'ok' ? 200 : 503, report),
        (error: unknown) =>
          reply(503, { status: 'unavailable', error: error instanceof Error ? error.message : '' }),
      );
      return undefined;
    }
    return reply(404, { status: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
