/** A mistake in what the user asked for (flag, file, value): printed as one line, exit code 2. */
export class UsageError extends Error {
  /** The flag or file the mistake is in, e.g. `--users` or `fixtures/profiles/x.yaml`. */
  readonly where: string;

  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'UsageError';
    this.where = where;
  }
}

/** True when `error` is a UsageError (also across module copies). */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof Error && error.name === 'UsageError';
}
