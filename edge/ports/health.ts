/** What every port adapter exposes so /health can name it and check it. */
export interface HealthCheckable {
  /** Short adapter name shown by /health, e.g. "pglite", "memory", "fs". */
  readonly adapter: string;
  /** Resolves when the backing service answers; rejects with an Error that says what is wrong. */
  ping(): Promise<void>;
}
