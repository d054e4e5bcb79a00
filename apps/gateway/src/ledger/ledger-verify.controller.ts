// GET /api/v1/ledger/verify?fromPosition=&toPosition=: the auditor's verification of the stored
// log (hash chain, and the signed checkpoints when the gateway holds the ledger's public key), for
// admins and auditors; a broken log answers 200 with ok:false and the first bad position.
import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { Logger } from 'pino';
import { z } from 'zod';
import { rolesFor } from '../auth/access-policy.js';
import { Roles } from '../auth/decorators.js';
import { parseBody } from '../commands/command-executor.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { ProblemException } from '../problem.filter.js';
import { positionParam } from '../queries/query-params.js';
import { LOGGER } from '../tokens.js';
import { LedgerVerifier, type LedgerVerification } from './ledger-verifier.js';

const position = positionParam.pipe(z.number().min(1, 'positions start at 1'));

export const LedgerVerifyQuery = z
  .strictObject({ fromPosition: position.optional(), toPosition: position.optional() })
  .refine(
    (q) =>
      q.fromPosition === undefined || q.toPosition === undefined || q.toPosition >= q.fromPosition,
    { message: 'toPosition must not be below fromPosition', path: ['toPosition'] },
  );

@Controller('api/v1/ledger/verify')
@Roles(...rolesFor('ledger.read'))
export class LedgerVerifyController {
  constructor(
    @Inject(LedgerVerifier) private readonly verifier: LedgerVerifier,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get()
  @ApiDoc({
    tag: 'audit',
    summary: 'Verify the stored log: hash chain and signed checkpoints, first bad position',
    description:
      'From fromPosition (1 by default; past 1 the stored link into the range is taken as given) ' +
      'to toPosition (the head by default, and never past it). Checkpoint signatures are checked ' +
      "with the ledger's public key the gateway was given (LEDGER_PUBLIC_KEY_FILE); without one " +
      'checkpoints.signatures is not_checked and only the chain is verified. A log that fails ' +
      'answers 200 with ok:false, firstBadPosition, reason and detail.',
    query: LedgerVerifyQuery,
  })
  async verify(@Query() query: unknown): Promise<LedgerVerification> {
    const range = parseBody(LedgerVerifyQuery, query);
    try {
      return await this.verifier.verify(range);
    } catch (error) {
      this.logger.warn({ err: error }, 'ledger verification could not read the log');
      throw new ProblemException(
        503,
        'UNAVAILABLE',
        "The ledger's database cannot be read; retry later.",
        { headers: { 'retry-after': '5' } },
      );
    }
  }
}
