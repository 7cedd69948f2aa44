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

  /** Resolves true when woken, false when the poll interval passed. */
  sleep(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const ring = (rang: boolean) => {
        clearTimeout(timer);
        this.#ring = undefined;
        resolve(rang);
      };
      const timer = setTimeout(() => ring(false), this.#pollIntervalMs);
      this.#ring = () => ring(true);
    });
  }
}
