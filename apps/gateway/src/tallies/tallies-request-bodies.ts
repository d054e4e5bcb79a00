// The HTTP bodies of the tallies commands: the domain's counting minute (the area and level come
// from the path), the same plus the correction's reason, and an empty body to declare. Strict, so
// an extra field is refused rather than dropped.
import {
  CorrectCountingMinute,
  CountingMinute,
  DeclareUnitResult,
  MAX_CANDIDATES_PER_MINUTE,
} from '@hpe/domain';
import { z } from 'zod';

const { $schema: _dialect, ...votesJsonSchema } = z.toJSONSchema(CountingMinute.shape.votes, {
  io: 'input',
});

/**
 * The domain caps the candidates only after checking every entry; counting the keys first answers
 * a flood of them with one issue (and a few ms) instead of one per key. The OpenAPI document shows
 * the domain's schema of the votes, with the cap.
 */
const boundedVotes = z
  .custom<unknown>(
    (value) =>
      typeof value !== 'object' ||
      value === null ||
      Object.keys(value).length <= MAX_CANDIDATES_PER_MINUTE,
    `at most ${MAX_CANDIDATES_PER_MINUTE} candidates`,
  )
  .pipe(CountingMinute.shape.votes)
  .meta({ ...votesJsonSchema, maxProperties: MAX_CANDIDATES_PER_MINUTE });

export const SubmitMinuteBody = CountingMinute.extend({ votes: boundedVotes });
export type SubmitMinuteBody = z.infer<typeof SubmitMinuteBody>;

export const CorrectMinuteBody = SubmitMinuteBody.extend({
  reason: CorrectCountingMinute.shape.data.shape.reason,
});
export type CorrectMinuteBody = z.infer<typeof CorrectMinuteBody>;

/** `{}`; a request with no body at all means the same. */
export const DeclareResultBody = z.preprocess(
  (body) => body ?? {},
  DeclareUnitResult.shape.data.pick({}),
);
