import { ConfigError } from '@hpe/config';
import { describe, expect, it } from 'vitest';
import { ledgerStoreChoice, loadLedgerSettings } from './settings.js';

const base = { DATABASE_URL: 'postgresql://postgres@db.example:5432/hpe' };

function configProblems(env: Record<string, string>): string[] {
  try {
    loadLedgerSettings({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
    throw error;
  }
  return [];
}

describe('LEDGER_STORE', () => {
  it('is postgres by default, with the writer role on DATABASE_URL', () => {
    const settings = loadLedgerSettings(base);
    expect(settings.LEDGER_STORE).toBe('postgres');
    expect(ledgerStoreChoice(settings)).toEqual({
      kind: 'postgres',
      connectionString: 'postgresql://ledger_writer@db.example:5432/hpe',
    });
  });

  it('postgres ignores a KurrentDB address that happens to be set', () => {
    const settings = loadLedgerSettings({
      ...base,
      LEDGER_STORE: 'postgres',
      KURRENTDB_CONNECTION_STRING: 'kurrentdb://k.example:2113?tls=false',
    });
    expect(ledgerStoreChoice(settings).kind).toBe('postgres');
  });

  it('kurrentdb builds the KurrentDB store from KURRENTDB_CONNECTION_STRING', () => {
    const settings = loadLedgerSettings({
      ...base,
      LEDGER_STORE: 'kurrentdb',
      KURRENTDB_CONNECTION_STRING: 'kurrentdb+discover://k1.example:2113,k2.example:2113?tls=true',
      LEDGER_KURRENTDB_STREAM_PREFIX: 'rehearsal_2.',
    });
    expect(ledgerStoreChoice(settings)).toEqual({
      kind: 'kurrentdb',
      connectionString: 'kurrentdb+discover://k1.example:2113,k2.example:2113?tls=true',
      streamPrefix: 'rehearsal_2.',
    });
    // The leader's lock stays in PostgreSQL: DATABASE_URL is still read and checked.
    expect(settings.DATABASE_URL).toBe(base.DATABASE_URL);
  });

  it('kurrentdb without a server address is a settings error naming the variable', () => {
    expect(configProblems({ LEDGER_STORE: 'kurrentdb' })).toEqual(['KURRENTDB_CONNECTION_STRING']);
  });

  it('refuses an unknown store, a connection string of another scheme and a bad prefix', () => {
    expect(configProblems({ LEDGER_STORE: 'mongodb' })).toEqual(['LEDGER_STORE']);
    expect(
      configProblems({
        LEDGER_STORE: 'kurrentdb',
        KURRENTDB_CONNECTION_STRING: 'postgresql://postgres@db.example/hpe',
      }),
    ).toEqual(['KURRENTDB_CONNECTION_STRING']);
    expect(
      configProblems({
        LEDGER_STORE: 'kurrentdb',
        KURRENTDB_CONNECTION_STRING: 'esdb://k.example:2113',
        LEDGER_KURRENTDB_STREAM_PREFIX: 'no-dot',
      }),
    ).toEqual(['LEDGER_KURRENTDB_STREAM_PREFIX']);
  });
});
