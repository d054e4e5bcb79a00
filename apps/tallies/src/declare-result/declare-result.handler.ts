// Declares a unit's result on its current minutes (see shared/result-declarations.ts).
import { Inject, Injectable } from '@nestjs/common';
import type { CommandMetadata, CommandReply } from '@hpe/service-kit';
import type { DeclareRequest, ResultDeclarations } from '../shared/result-declarations.js';
import { RESULT_DECLARATIONS } from '../shared/tokens.js';

@Injectable()
export class DeclareResultHandler {
  constructor(@Inject(RESULT_DECLARATIONS) private readonly declarations: ResultDeclarations) {}

  execute(request: DeclareRequest, metadata: CommandMetadata): Promise<CommandReply> {
    return this.declarations.declare(request, metadata);
  }
}
