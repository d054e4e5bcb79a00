// Both languages carry exactly the same keys, and no Vietnamese label was left untranslated.
import { anomalyKinds } from '@hpe/domain';
import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { vi } from './vi.js';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix === '' ? k : `${prefix}.${k}`));
}

function leaf(dictionary: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], dictionary);
}

describe('dictionaries', () => {
  it('have the same keys in vi and en', () => {
    expect(keys(en).sort()).toEqual(keys(vi).sort());
  });

  it('have a non-empty text for every key', () => {
    for (const key of keys(vi)) {
      expect(String(leaf(vi, key)).trim(), key).not.toBe('');
      expect(String(leaf(en, key)).trim(), key).not.toBe('');
    }
  });

  it('use Vietnamese diacritics for the main labels', () => {
    expect(vi.nav.overview).toBe('Tổng quan');
    expect(vi.overview.turnout).toBe('Tỷ lệ cử tri đi bầu');
    expect(vi.commune.areas).toBe('Khu vực bỏ phiếu');
    expect(vi.nav.communes).toBe('Xã/phường/đặc khu');
  });

  it('name every anomaly kind the detector raises, in both languages', () => {
    expect(Object.keys(vi.anomalyKind).sort()).toEqual([...anomalyKinds].sort());
    expect(Object.keys(en.anomalyKind).sort()).toEqual([...anomalyKinds].sort());
  });
});
