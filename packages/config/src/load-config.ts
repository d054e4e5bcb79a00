// Reads an app's settings once and fails at start, naming every bad variable, rather than
// failing later in the middle of election day.
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly app: string,
    readonly problems: readonly { variable: string; message: string }[],
  ) {
    super(
      `${app}: invalid settings:\n` +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export function loadConfig<Shape extends z.ZodRawShape>(
  app: string,
  shape: Shape,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Readonly<z.infer<z.ZodObject<Shape>>> {
  const schema = z.object(shape);
  // Empty strings mean "not set", as in most shells' `VAR= command`.
  const input = Object.fromEntries(
    Object.keys(shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      app,
      result.error.issues.map((i) => ({
        variable: String(i.path[0] ?? '(settings)'),
        message: i.message,
      })),
    );
  }
  return Object.freeze(result.data);
}
