// The ledger's health endpoints on plain node:http: /health/live says the process answers;
// /health/ready says PostgreSQL and NATS answer and the instance knows its role (leader or standby);
// /public-key publishes the checkpoint-signing key for auditors.
import { createServer, type Server } from 'node:http';

export interface CheckResult {
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

export interface ReadinessReport {
  readonly status: 'ok' | 'unavailable';
  readonly role: string;
  readonly checks: Readonly<Record<string, CheckResult>>;
  readonly relay?: unknown;
  readonly checkpoints?: unknown;
}

export interface HealthServerOptions {
  readonly host: string;
  readonly port: number;
  readonly readiness: () => Promise<ReadinessReport>;
  /** Published for auditors at GET /public-key when the ledger signs checkpoints. */
  readonly publicKey?: { readonly pem: string; readonly fingerprint: string };
}

export interface RunningHealthServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Runs a check with a time limit, reporting its latency and, on failure, why. */
export async function timedCheck(
  check: () => Promise<unknown>,
  timeoutMs: number,
): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

export async function startHealthServer(
  options: HealthServerOptions,
): Promise<RunningHealthServer> {
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      send(405, { status: 405, code: 'METHOD_NOT_ALLOWED' });
    } else if (path === '/public-key' && options.publicKey) {
      res.writeHead(200, {
        'content-type': 'application/x-pem-file',
        'x-key-fingerprint': options.publicKey.fingerprint,
      });
      res.end(options.publicKey.pem);
    } else if (path === '/health/live') {
      send(200, { status: 'ok' });
    } else if (path === '/health/ready') {
      options.readiness().then(
        (report) => send(report.status === 'ok' ? 200 : 503, report),
        (error: unknown) =>
          send(503, {
            status: 'unavailable',
            error: error instanceof Error ? error.message : String(error),
          }),
      );
    } else {
      send(404, { status: 404, code: 'NOT_FOUND' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
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
