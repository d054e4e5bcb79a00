// One writer at a time: the instance holding a PostgreSQL session advisory lock is the leader; the
// others wait as standbys and poll for the lock, which PostgreSQL frees when the leader's session ends.
import type { LogSink } from '@hpe/telemetry';
import pg from 'pg';

/** The lock's key: any constant every ledger instance agrees on ("HPELEDGR" as bytes). */
export const leaderLockKey = 0x4850454c45444752n;

export type LeaderState = 'starting' | 'standby' | 'leader' | 'lost' | 'stopped';

export interface LeaderElectionOptions {
  /** An administrator's URL: advisory locks need no grants, but this is the ledger's own session. */
  readonly connectionString: string;
  readonly log: LogSink;
  /** Pause between a standby's attempts; 500 ms by default. */
  readonly retryMs?: number;
  /** How often the leader checks its lock session is alive; 1 s by default. */
  readonly checkMs?: number;
  /** Called once on becoming leader; appends must not be served before it resolves. */
  readonly onElected: () => Promise<void> | void;
  /**
   * Called once if the leader's lock session fails: the lock may already belong to another
   * instance, so this instance must stop writing at once.
   */
  readonly onLost: (error: Error) => void;
}

export class LeaderElection {
  private current: LeaderState = 'starting';
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private work: Promise<void> = Promise.resolve();
  private readonly retryMs: number;
  private readonly checkMs: number;

  constructor(private readonly options: LeaderElectionOptions) {
    this.retryMs = options.retryMs ?? 500;
    this.checkMs = options.checkMs ?? 1_000;
  }

  get state(): LeaderState {
    return this.current;
  }

  get isLeader(): boolean {
    return this.current === 'leader';
  }

  /** Makes the first attempt and keeps trying in the background while standby. */
  async start(): Promise<void> {
    await this.attempt();
  }

  /** Releases the lock (ending the session frees it) and stops trying. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.work;
    const client = this.client;
    this.client = undefined;
    if (this.current !== 'lost') this.current = 'stopped';
    if (client !== undefined) await client.end().catch(() => undefined);
  }

  private schedule(step: () => Promise<void>, delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.work = step();
    }, delayMs);
  }

  private async attempt(): Promise<void> {
    if (this.stopping) return;
    try {
      const client = await this.connection();
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS locked',
        [leaderLockKey.toString()],
      );
      if (rows[0]?.locked === true) {
        if (this.stopping) return;
        this.current = 'leader';
        this.options.log.info({}, 'leader lock taken: this instance writes');
        await this.options.onElected();
        this.schedule(() => this.check(), this.checkMs);
        return;
      }
      if (this.current !== 'standby') this.options.log.info({}, 'another instance leads: standby');
      this.current = 'standby';
    } catch (error) {
      // A standby that cannot reach PostgreSQL stays standby and tries again.
      this.options.log.warn({ err: error }, 'leader election attempt failed');
      await this.dropConnection();
      if (this.current === 'starting') this.current = 'standby';
    }
    this.schedule(() => this.attempt(), this.retryMs);
  }

  /** The leader's heartbeat on its lock session: any failure means the lock may be gone. */
  private async check(): Promise<void> {
    if (this.stopping || this.current !== 'leader') return;
    try {
      const client = this.client;
      if (client === undefined) throw new Error('the lock session is gone');
      await client.query('SELECT 1');
    } catch (error) {
      this.lose(error);
      return;
    }
    this.schedule(() => this.check(), this.checkMs);
  }

  private lose(error: unknown): void {
    // Ending the session on stop() also fires 'end': a release, not a loss.
    if (this.stopping || this.current !== 'leader') return;
    this.current = 'lost';
    clearTimeout(this.timer);
    const reason = error instanceof Error ? error : new Error(String(error));
    this.options.log.error({ err: reason }, 'leader lock session failed: stop writing');
    void this.dropConnection();
    this.options.onLost(reason);
  }

  private async connection(): Promise<pg.Client> {
    if (this.client !== undefined) return this.client;
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: 'ledger-leader-lock',
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
    });
    // Errors and the end of the session come as events as well as failed queries: either way the
    // lock is gone, and the leader must know before its next heartbeat.
    client.on('error', (error) => this.lose(error));
    client.on('end', () => this.lose(new Error('the lock session ended')));
    await client.connect();
    this.client = client;
    return client;
  }

  private async dropConnection(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await client.end().catch(() => undefined);
  }
}
