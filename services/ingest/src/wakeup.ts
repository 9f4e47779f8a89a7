/**
 * The hand-off between event callbacks and the async loop that consumes what they deliver: the
 * loop waits when it has nothing to do, and the next event wakes it.
 */
export class Wakeup {
  private resume: (() => void) | undefined;

  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.resume = resolve;
    });
  }

  notify(): void {
    const resume = this.resume;
    this.resume = undefined;
    resume?.();
  }
}
