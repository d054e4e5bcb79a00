// Expected failures are values, not exceptions (the error policy): a rule violated, a stale
// revision, a forbidden action. Bugs and broken invariants throw (see assert.ts).
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });

/** A failure with a stable code that crosses NATS unchanged and maps to HTTP in one place. */
export interface CodedError<Code extends string = string> {
  readonly code: Code;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export const codedError = <Code extends string>(
  code: Code,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): CodedError<Code> => (details === undefined ? { code, message } : { code, message, details });

export function mapResult<T, U, E>(r: Result<T, E>, f: (value: T) => U): Result<U, E> {
  return r.ok ? ok(f(r.value)) : r;
}
