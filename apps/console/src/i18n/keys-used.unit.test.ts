// @vitest-environment node
// Every dictionary key the views ask for exists, so no screen shows a raw key: literal keys
// must be texts, and the fixed part of a computed key (`severity.${s}`) must be a group.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vi } from './vi.js';

const src = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test-support' ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.includes('.test.') ? [path] : [];
  });
}

function lookup(key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[part]
          : undefined,
      vi,
    );
}

describe('keys used by the views', () => {
  const code = sources(src)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const literal = [...code.matchAll(/\bt\(\s*'([a-zA-Z]+(?:\.[a-zA-Z_]+)+)'/g)].map(
    (m) => m[1] ?? '',
  );
  const computed = [...code.matchAll(/\bt\(\s*`([a-zA-Z.]+)\.\$\{/g)].map((m) => m[1] ?? '');
  const labels = [...code.matchAll(/label: '([a-zA-Z]+\.[a-zA-Z]+)'/g)].map((m) => m[1] ?? '');

  it('finds keys to check', () => {
    expect(literal.length).toBeGreaterThan(50);
    expect(computed.length).toBeGreaterThan(5);
  });

  it('has a text for every literal key', () => {
    const missing = [...literal, ...labels].filter((key) => typeof lookup(key) !== 'string');
    expect(missing).toEqual([]);
  });

  it('has a group for every computed key', () => {
    const missing = computed.filter((key) => typeof lookup(key) !== 'object');
    expect(missing).toEqual([]);
  });
});
