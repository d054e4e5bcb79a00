#!/usr/bin/env node
// First step of every top-level command on a fresh machine: check Node, install the npm
// dependencies when missing or stale, build (turbo's cache makes a second run instant).
// Plain Node with no dependencies, because it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// turbo's anonymous usage telemetry stays off: CI and users' machines should not phone out.
process.env.TURBO_TELEMETRY_DISABLED ??= '1';

function say(line) {
  process.stdout.write(`[bootstrap] ${line}\n`);
}

export function run(cmd, args, { env = process.env, allowFailure = false } = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0 && !allowFailure) {
    process.stderr.write(
      `[bootstrap] ${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})\n`,
    );
    process.exit(result.status ?? 1);
  }
  return result.status ?? 1;
}

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    process.stderr.write(
      `Node.js ${process.versions.node} is too old: this project needs Node.js 20.19 or newer.\n`,
    );
    process.exit(1);
  }
}

export function ensureInstalled() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.package-lock.json');
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (!fresh) {
    say('installing npm dependencies (npm ci)…');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
}

export function build() {
  say('building (turbo, cached)…');
  run('npx', ['--no-install', 'turbo', 'run', 'build', '--output-logs=errors-only']);
}

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  checkNode();
  ensureInstalled();
  build();
  const [, , ...rest] = process.argv;
  if (rest.length > 0) {
    const status = run(process.execPath, [join(root, 'tools/stack/dist/cli.js'), ...rest], {
      allowFailure: true,
    });
    process.exit(status);
  }
}
