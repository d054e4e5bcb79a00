// The projector's health endpoints on plain node:http: /health/live (the process answers),
// /health/ready (database and NATS reachable, consuming) and /status (position, lag, throughput).
import { createServer } from 'node:http';

export interface RunningHealthServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface HealthReport {
  readonly ready: boolean;
  readonly body: Readonly<Record<string, unknown>>;
}

export async function startHealthServer(options: {
  readonly host: string;
  readonly port: number;
  readonly readiness: () => Promise<HealthReport>;
  readonly status: () => Readonly<Record<string, unknown>>;
}): Promise<RunningHealthServer> {
  const server = createServer((req, res) => {
    const reply = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return reply(405, { status: 'method not allowed' });
    if (path === '/health/live') return reply(200, { status: 'ok' });
    if (path === '/status') return reply(200, options.status());
    if (path === '/health/ready') {
      options.readiness().then(
        (r) => reply(r.ready ? 200 : 503, { status: r.ready ? 'ok' : 'unavailable', ...r.body }),
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
