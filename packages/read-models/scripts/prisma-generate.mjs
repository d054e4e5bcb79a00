// `prisma generate` wants a schema engine path even though generation never runs it; our build
// machines cannot download the engine, so point it at an existing file (node itself).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
execFileSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: 'inherit', env });
