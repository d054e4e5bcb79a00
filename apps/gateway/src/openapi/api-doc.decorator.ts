// What the OpenAPI document says about a route beyond what Nest already knows (path, method, roles):
// its summary and the zod schemas of its body, query and answer — the same schemas that validate.
import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

export const API_DOC = 'hpe:api-doc';

export interface ApiDocOptions {
  readonly summary: string;
  readonly description?: string;
  /** Tag grouping the route in the document (turnout, voters, tallies, incidents…). */
  readonly tag?: string;
  readonly body?: z.ZodType;
  /** Content type of the body when it is not JSON (the voter import's NDJSON). */
  readonly bodyContentType?: string;
  readonly query?: z.ZodType;
  readonly response?: z.ZodType;
  /** 201 for commands (the default for POST), 200 otherwise. */
  readonly status?: number;
}

export const ApiDoc = (options: ApiDocOptions): MethodDecorator => SetMetadata(API_DOC, options);
