#!/usr/bin/env node
// The projector's command line: `rebuild [--projection <name>]…` replays projections from the
// ledger and swaps their rows into the live tables in one transaction while the gateway and the
// live projector keep running (see rebuildLive in @hpe/read-models).
import { parseArgs } from 'node:util';
import { ConfigError } from '@hpe/config';
import { LedgerClient } from '@hpe/ledger-client';
import { closeNats, connectNats } from '@hpe/messaging';
import {
  loadReferenceModel,
  projectionNames,
  rebuildLive,
  selectProjections,
} from '@hpe/read-models';
import pg from 'pg';
import { ledgerPages } from './ledger-pages.js';
import { loadProjectorSettings } from './settings.js';

const usage = `usage: hpe-projector rebuild [--projection <name>]...
  Rebuilds the named projections (all when none is named) from the ledger, without stopping
  readers or the live projector. Projections: ${projectionNames.join(', ')}`;

export async function runCli(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { projection: { type: 'string', multiple: true }, help: { type: 'boolean' } },
  });
  if (values.help === true || positionals[0] !== 'rebuild' || positionals.length !== 1) {
    console.error(usage);
    return values.help === true ? 0 : 2;
  }
  const projections = selectProjections(values.projection ?? []);
  const settings = loadProjectorSettings();
  const nc = await connectNats({ servers: settings.NATS_URL, name: 'projector-rebuild' });
  const client = new pg.Client({ connectionString: settings.DATABASE_URL });
  await client.connect();
  try {
    const ledger = new LedgerClient(nc, { timeoutMs: settings.LEDGER_TIMEOUT_MS });
    const started = performance.now();
    const report = await rebuildLive({
      db: client,
      projections,
      reference: await loadReferenceModel(client),
      pages: (from, to) => ledgerPages(ledger, from, to),
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ ...report, seconds: Math.round(seconds * 10) / 10 }, null, 2));
    return 0;
  } finally {
    await client.end();
    await closeNats(nc);
  }
}

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
