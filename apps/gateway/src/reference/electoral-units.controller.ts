// GET /api/v1/electoral-units?level=: every unit of a level (or all) with its seats, communes and
// candidates, from the reference tables; the same for every role that may read results.
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Level } from '@hpe/domain';
import type pg from 'pg';
import { z } from 'zod';
import { rolesFor } from '../auth/access-policy.js';
import { Roles } from '../auth/decorators.js';
import { parseBody } from '../commands/command-executor.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';
import { PG_POOL } from '../tokens.js';

export const ElectoralUnitsQuery = z.strictObject({ level: Level.optional() });

export interface ElectoralUnitAnswer {
  readonly unitId: string;
  readonly level: string;
  readonly name: string;
  readonly seats: number;
  readonly communeIds: readonly string[];
  readonly candidates: readonly { candidateId: string; name: string; birthDate: string }[];
}

interface Row {
  unit_id: string;
  level: string;
  name: string;
  seats: number;
  commune_ids: string[];
  candidates: { candidateId: string; name: string; birthDate: string }[];
}

@Controller('api/v1/electoral-units')
@Roles(...rolesFor('results.read'))
export class ElectoralUnitsController {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  @Get()
  @ApiDoc({
    tag: 'reference',
    summary: 'Electoral units with seats, communes and candidates',
    query: ElectoralUnitsQuery,
  })
  async list(@Query() query: unknown): Promise<{ units: ElectoralUnitAnswer[] }> {
    const { level } = parseBody(ElectoralUnitsQuery, query);
    const result = await this.pool.query<Row>(
      `select u.unit_id, u.level, u.name, u.seats, u.commune_ids,
              coalesce(json_agg(json_build_object('candidateId', c.candidate_id,
                'name', c.full_name, 'birthDate', c.birth_date) order by c.candidate_id)
                filter (where c.candidate_id is not null), '[]') as candidates
         from electoral_unit u left join candidate c on c.unit_id = u.unit_id
        where $1::text is null or u.level = $1
        group by u.unit_id order by u.level, u.unit_id`,
      [level ?? null],
    );
    return {
      units: result.rows.map((r) => ({
        unitId: r.unit_id,
        level: r.level,
        name: r.name,
        seats: r.seats,
        communeIds: r.commune_ids,
        candidates: r.candidates,
      })),
    };
  }
}
