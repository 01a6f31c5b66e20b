/**
 * Holds a tuning run between iterations while it is paused. A run waits on the gate before each
 * iteration; pausing takes effect at the next boundary (an iteration is never cut in half), and
 * cancelling a paused run lets it through at once so it can end.
 */
export class PauseGate {
  private waiting: (() => void)[] = [];
  paused = false;

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const release of this.waiting.splice(0)) release();
  }

  /** Resolves when the gate is open, or as soon as `signal` aborts. */
  wait(signal: AbortSignal): Promise<void> {
    if (!this.paused || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const release = (): void => {
        signal.removeEventListener('abort', release);
        resolve();
      };
      this.waiting.push(release);
      signal.addEventListener('abort', release, { once: true });
    });
  }
}
