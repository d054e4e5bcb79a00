#!/usr/bin/env node
// `npm test`: everything CI checks, in one command on a fresh machine: install, build, lint,
// boundaries, format, typecheck, then the unit, integration and end-to-end tiers. It runs every
// step even after a failure, so one run shows all that is wrong, and ends with `N passed, N failed`.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkNode, ensureInstalled, root, run } from './bootstrap.mjs';

checkNode();
ensureInstalled();

const env = { ...process.env, TZ: 'Asia/Ho_Chi_Minh', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' };
const turbo = (...args) =>
  run('npx', ['--no-install', 'turbo', 'run', ...args], { env, allowFailure: true });
const workspaces = ['packages', 'apps', 'tools']
  .flatMap((d) =>
    existsSync(join(root, d)) ? readdirSync(join(root, d)).map((n) => join(root, d, n)) : [],
  )
  .concat([join(root, 'load-tests')])
  .filter((d) => existsSync(join(d, 'package.json')));

for (const w of workspaces) rmSync(join(w, '.reports', 'int.json'), { force: true });
for (const w of workspaces) rmSync(join(w, '.reports', 'e2e.json'), { force: true });

const failedSteps = [];
const step = (name, status) => {
  process.stdout.write(`\n[test] ${name}: ${status === 0 ? 'ok' : 'FAILED'}\n`);
  if (status !== 0) failedSteps.push(name);
};

step('build', turbo('build', '--output-logs=errors-only'));
// Tests need PostgreSQL and nats-server, the console's browser tests Chromium; install them once
// here, not from parallel test runs.
step(
  'system packages',
  run(
    process.execPath,
    [join(root, 'packages/embedded/dist/ensure-cli.js'), 'postgres', 'nats-server', 'chromium'],
    { env, allowFailure: true },
  ),
);
step('lint', turbo('lint', '--output-logs=errors-only'));
step('boundaries', run('npm', ['run', '--silent', 'lint:boundaries'], { env, allowFailure: true }));
step('format', run('npm', ['run', '--silent', 'format:check'], { env, allowFailure: true }));
step('typecheck', turbo('typecheck', '--output-logs=errors-only'));
step('unit tests', turbo('test:unit', '--output-logs=new-only'));
step('integration tests', turbo('test:int', '--concurrency=2', '--output-logs=new-only'));
step('end-to-end tests', turbo('test:e2e', '--concurrency=1', '--output-logs=new-only'));

let passed = 0;
let failed = 0;
let skipped = 0;
for (const w of workspaces) {
  for (const tier of ['unit', 'int', 'e2e']) {
    const file = join(w, '.reports', `${tier}.json`);
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A suite that failed to load (syntax error, failing set-up) has no tests but did fail.
    failed += (report.testResults ?? []).filter(
      (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
    ).length;
  }
}
// A failed step that is not a test tier (lint, typecheck, …) counts as one failure of its own.
const checkFailures = failedSteps.filter((s) => !s.endsWith('tests'));
failed += checkFailures.length;
if (failedSteps.length > 0)
  process.stdout.write(`\n[test] failed steps: ${failedSteps.join(', ')}\n`);
process.stdout.write(
  `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
