// POST /api/v1/voters/import: an NDJSON voter list, streamed (application/x-ndjson only, 415
// otherwise), answered once every batch is committed with {imported, duplicates, rejected,
// position}. Commune accounts import their own commune's rows; rows elsewhere are rejected one by
// one with FORBIDDEN_SCOPE while the commune's own rows still go in.
import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { rolesFor } from '../auth/access-policy.js';
import { CurrentPrincipal, Roles } from '../auth/decorators.js';
import type { Principal } from '../auth/principal.js';
import { ProblemException } from '../problem.filter.js';
import { ndjsonContentType } from './ndjson-body-parser.js';
import { BodyTooLarge } from './ndjson-lines.js';
import {
  ImportInterrupted,
  VoterImport,
  voterImportLimits,
  type ImportReport,
} from './voter-import.js';

@Controller('api/v1/voters')
export class VoterImportController {
  constructor(@Inject(VoterImport) private readonly voterImport: VoterImport) {}

  @Post('import')
  @HttpCode(200)
  @Roles(...rolesFor('voters.manage'))
  async import(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<ImportReport> {
    const contentType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (contentType !== ndjsonContentType || !(body instanceof Readable)) {
      throw new ProblemException(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `The voter list must be sent as ${ndjsonContentType}, one row per line.`,
      );
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > voterImportLimits.maxBodyBytes) throw tooLarge();
    let report: ImportReport;
    try {
      report = await this.voterImport.run(body, principal, randomUUID());
    } catch (error) {
      if (error instanceof BodyTooLarge) throw tooLarge();
      if (error instanceof ImportInterrupted) {
        throw new ProblemException(
          error.code === 'UNAVAILABLE' ? 503 : 502,
          error.code,
          error.detail,
          {
            details: { ...error.report },
          },
        );
      }
      throw error;
    }
    if (report.imported + report.unchanged + report.duplicatesTotal + report.rejectedTotal === 0) {
      throw new ProblemException(400, 'VALIDATION_FAILED', 'The voter list holds no rows.');
    }
    return report;
  }
}

function tooLarge(): ProblemException {
  return new ProblemException(
    413,
    'PAYLOAD_TOO_LARGE',
    `A voter list is at most ${voterImportLimits.maxBodyBytes} bytes; split it. Rows already sent are committed.`,
  );
}
