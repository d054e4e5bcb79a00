#!/usr/bin/env node
// hpe-audit: the auditor's command line (see run-cli.ts and docs/audit.md). Sets the exit code
// rather than calling process.exit, so piped output is flushed before the process ends.
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  env: process.env,
});
