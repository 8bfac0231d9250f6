/**
 * Times a task's phases: each `lap` adds the time since the previous one to a named phase, so
 * a phase visited twice (a repair round's model call) adds up.
 */
export class PhaseClock {
  private last: number;
  readonly phases: Record<string, number>;

  constructor(start = performance.now(), initial: Record<string, number> = {}) {
    this.last = start;
    this.phases = { ...initial };
  }

  lap(phase: string): void {
    const now = performance.now();
    this.phases[phase] = Math.round(((this.phases[phase] ?? 0) + now - this.last) * 100) / 100;
    this.last = now;
  }
}
