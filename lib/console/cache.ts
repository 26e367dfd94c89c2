/**
 * Answers kept for a few minutes in the container, for figures that take long to work out and
 * change slowly (the KPIs over a year of placements). Keyed by what was asked and by whom (their
 * roles: a role's view may differ); pages that use it say how old the figures are.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; atMs: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50,
  ) {}

  /** The kept answer and when it was worked out, or a new one from `make`. A failed answer is not kept. */
  async get(key: string, nowMs: number, make: () => Promise<T>): Promise<{ value: T; atMs: number }> {
    const kept = this.entries.get(key);
    if (kept && nowMs - kept.atMs < this.ttlMs) return { value: await kept.value, atMs: kept.atMs };
    const value = make();
    this.entries.set(key, { value, atMs: nowMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    try {
      return { value: await value, atMs: nowMs };
    } catch (error) {
      this.entries.delete(key);
      throw error;
    }
  }
}
