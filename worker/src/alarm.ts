/**
 * The sleep of a worker loop between looks at its queue: until `pollIntervalMs` passes or wake()
 * is called. A wake that arrives while the loop is busy is kept (`woken`), so the loop looks again
 * instead of sleeping through it.
 */
export class Alarm {
  readonly #pollIntervalMs: number;
  #ring: (() => void) | undefined;
  #woken = false;

  constructor(pollIntervalMs: number) {
    this.#pollIntervalMs = pollIntervalMs;
  }

  wake(): void {
    this.#woken = true;
    this.#ring?.();
  }

  /** Forgets earlier wakes: call before each look at the queue, which sees what they announced. */
  take(): void {
    this.#woken = false;
  }

  /** Whether wake() was called since the last take(). */
  get woken(): boolean {
    return this.#woken;
  }

  /** Until the poll interval passes or wake() is called; at once if wake() was called since take() (a stop asked for during a look must not wait a poll interval). */
  sleep(): Promise<void> {
    if (this.#woken) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const ring = () => {
        clearTimeout(timer);
        this.#ring = undefined;
        resolve();
      };
      const timer = setTimeout(ring, this.#pollIntervalMs);
      this.#ring = ring;
    });
  }
}
