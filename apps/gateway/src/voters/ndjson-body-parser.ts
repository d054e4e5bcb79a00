// Hands an `application/x-ndjson` body to its route as the raw stream, unread: the voter import
// reads it line by line and counts its bytes against its own limit (VOTER_IMPORT_MAX_BODY_BYTES),
// while every other content type keeps Fastify's parsers and the global HTTP_BODY_LIMIT.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

export const ndjsonContentType = 'application/x-ndjson';

@Injectable()
export class NdjsonBodyParser implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (fastify.hasContentTypeParser(ndjsonContentType)) return;
    fastify.addContentTypeParser(ndjsonContentType, (_request, payload, done) => {
      done(null, payload);
    });
  }
}
