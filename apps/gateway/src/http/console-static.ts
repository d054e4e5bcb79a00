// Serves the operations console (apps/console's built files) at `/`: files as they are, and
// index.html for any other path outside /api and /health so the console's own routes load.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

export async function registerConsole(
  fastify: FastifyInstance,
  consoleDir: string,
  logger: Logger,
): Promise<boolean> {
  if (!existsSync(join(consoleDir, 'index.html'))) {
    logger.warn({ consoleDir }, 'console not built: `npm run build -w @hpe/console` to serve it');
    return false;
  }
  await fastify.register(fastifyStatic, {
    root: consoleDir,
    prefix: '/',
    wildcard: false,
    cacheControl: false,
    // Hashed asset names can be cached for ever; index.html must always be fresh.
    setHeaders: (res, path) => {
      res.setHeader(
        'cache-control',
        path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
      );
    },
  });
  logger.info({ consoleDir }, 'serving the console at /');
  return true;
}

/** A browser navigating to one of the console's routes gets index.html; the API keeps its 404s. */
export function consoleRouteFallback(request: FastifyRequest, reply: FastifyReply): boolean {
  const path = request.url.split('?')[0] ?? '/';
  if (request.method !== 'GET' || path.startsWith('/api/') || path.startsWith('/health/')) {
    return false;
  }
  if (!(request.headers.accept ?? '').includes('text/html')) return false;
  void reply.header('cache-control', 'no-cache').sendFile('index.html');
  return true;
}
