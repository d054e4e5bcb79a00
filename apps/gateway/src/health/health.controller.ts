// Liveness says the process answers; readiness says the parts it depends on answer too (PostgreSQL,
// NATS and the ledger's `ledger.head`), so a load balancer or the stack waits for it.
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { NatsConnection } from '@nats-io/transport-node';
import type pg from 'pg';
import { LedgerClient } from '@hpe/ledger-client';
import { Public } from '../auth/decorators.js';
import { NATS, PG_POOL } from '../tokens.js';

export interface CheckResult {
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

async function timed(check: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(NATS) private readonly nats: NatsConnection,
    @Inject(LedgerClient) private readonly ledger: LedgerClient,
  ) {}

  @Get(['health/live', 'api/v1/health/live'])
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(['health/ready', 'api/v1/health/ready'])
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<{
    status: 'ok' | 'unavailable';
    checks: Record<'postgres' | 'nats' | 'ledger', CheckResult>;
  }> {
    const [postgres, nats, ledger] = await Promise.all([
      timed(() => this.pool.query('SELECT 1'), 2_000),
      timed(async () => {
        if (this.nats.isClosed()) throw new Error('connection closed');
        await this.nats.flush();
      }, 2_000),
      timed(async () => {
        const head = await this.ledger.head();
        if (!head.ok) throw new Error(`${head.error.code}: ${head.error.message}`);
      }, 2_000),
    ]);
    const ok = postgres.ok && nats.ok && ledger.ok;
    if (!ok) reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks: { postgres, nats, ledger } };
  }
}
