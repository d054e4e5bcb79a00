// Subjects on the EVENTS stream: events.<category>.<streamId>. A bad token would not only
// misroute an event: a space or newline breaks the NATS protocol line, and `*`/`>` are wildcards.
export const eventsSubjectPrefix = 'events';

/** Categories are ours, declared in code: lower-case words joined by hyphens. */
const categoryPattern = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/**
 * Stream ids come from requests, so anything printable that NATS accepts in a token is allowed,
 * except separators and wildcards; whitespace, control and format characters of every script and
 * lone surrogates (not encodable as UTF-8) are not.
 */
const forbiddenInToken = /[\s\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}.*>]/u;
/**
 * A protocol line (subject, reply, sizes) must fit the server's max_control_line, 4 KiB by
 * default; 128 characters per token keeps any subject far inside it.
 */
export const maxSubjectTokenLength = 128;

export class InvalidSubjectTokenError extends Error {
  constructor(
    readonly part: 'category' | 'streamId',
    readonly value: string,
    readonly reason: string,
  ) {
    // The value may be hostile: quote a bounded, escaped excerpt of it.
    super(`invalid ${part} ${JSON.stringify(value.slice(0, 64))}: ${reason}`);
    this.name = 'InvalidSubjectTokenError';
  }
}

function check(part: 'category' | 'streamId', value: string): void {
  if (value.length === 0) throw new InvalidSubjectTokenError(part, value, 'empty');
  if (value.length > maxSubjectTokenLength) {
    throw new InvalidSubjectTokenError(part, value, `longer than ${maxSubjectTokenLength}`);
  }
  if (forbiddenInToken.test(value)) {
    throw new InvalidSubjectTokenError(
      part,
      value,
      'contains whitespace, a control character, ".", "*" or ">"',
    );
  }
  if (part === 'category' && !categoryPattern.test(value)) {
    throw new InvalidSubjectTokenError(part, value, 'must be lower-case words joined by "-"');
  }
}

/** `events.<category>.<streamId>`, the subject the relay publishes a committed event on. */
export function eventSubject(category: string, streamId: string): string {
  check('category', category);
  check('streamId', streamId);
  return `${eventsSubjectPrefix}.${category}.${streamId}`;
}

/** `events.<category>.>`: what a consumer filters on to get one category's events. */
export function eventCategoryFilter(category: string): string {
  check('category', category);
  return `${eventsSubjectPrefix}.${category}.>`;
}
