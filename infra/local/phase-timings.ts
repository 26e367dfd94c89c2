/**
 * How long each phase of a start took, for `npm start -- --timings` (what to make faster is found by
 * measuring, not guessing). Phases may overlap: each is timed from its own start to its own end.
 */
export class PhaseTimings {
  private readonly origin = performance.now();
  private readonly phases: Array<{ name: string; startMs: number; ms: number }> = [];

  /** Times `work` as the phase `name`; the phase ends when the promise settles. */
  async time<T>(name: string, work: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.phases.push({ name, startMs: started - this.origin, ms: performance.now() - started });
    }
  }

  /** One line per phase, in the order they started: `+start  took  name`. */
  lines(): string[] {
    return [...this.phases]
      .sort((a, b) => a.startMs - b.startMs)
      .map((p) => `${`+${Math.round(p.startMs)} ms`.padStart(10)} ${`${Math.round(p.ms)} ms`.padStart(9)}  ${p.name}`);
  }
}
