// A real OTLP/HTTP collector on loopback for tests: it records what the exporters post (JSON, gzip
// or not) and answers 200, and reads the spans out of what it received, with the service that
// exported each, so a test can follow one trace across processes.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedExport {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** One span as exported, ids in lower-case hex. */
export interface CollectedSpan {
  readonly service: string;
  readonly scope: string;
  readonly name: string;
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface OtlpCollector {
  /** Base URL to give as the OTLP endpoint (`/v1/traces` and `/v1/metrics` are added). */
  readonly url: string;
  readonly received: readonly ReceivedExport[];
  /** Every span received on /v1/traces so far. */
  spans(): CollectedSpan[];
  close(): Promise<void>;
}

interface AnyValue {
  readonly stringValue?: string;
  readonly intValue?: number | string;
  readonly boolValue?: boolean;
  readonly doubleValue?: number;
}
interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}
interface TracesBody {
  readonly resourceSpans?: readonly {
    readonly resource?: { readonly attributes?: readonly KeyValue[] };
    readonly scopeSpans?: readonly {
      readonly scope?: { readonly name?: string };
      readonly spans?: readonly {
        readonly name: string;
        readonly kind?: number;
        readonly traceId: string;
        readonly spanId: string;
        readonly parentSpanId?: string;
        readonly attributes?: readonly KeyValue[];
      }[];
    }[];
  }[];
}

function valueOf(value: AnyValue): unknown {
  return value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;
}

function attributesOf(list: readonly KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));
}

export async function startOtlpCollector(): Promise<OtlpCollector> {
  const received: ReceivedExport[] = [];
  const readBody = async (req: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    return (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
  };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    spans: () =>
      received
        .filter((r) => r.path === '/v1/traces')
        .flatMap((r) => {
          const body = JSON.parse(r.body) as TracesBody;
          return (body.resourceSpans ?? []).flatMap((rs) => {
            const service = String(attributesOf(rs.resource?.attributes)['service.name'] ?? '');
            return (rs.scopeSpans ?? []).flatMap((ss) =>
              (ss.spans ?? []).map((s) => ({
                service,
                scope: ss.scope?.name ?? '',
                name: s.name,
                kind: s.kind ?? 0,
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId ?? '',
                attributes: attributesOf(s.attributes),
              })),
            );
          });
        }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // The exporters keep connections alive; do not wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
