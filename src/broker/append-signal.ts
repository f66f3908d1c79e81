/**
 * Wakes parked Fetch requests when records are appended, so a long poll answers
 * as soon as data arrives instead of sleeping out max_wait_ms.
 */
export class AppendSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    if (this.waiters.size === 0) return;
    const current = this.waiters;
    this.waiters = new Set();
    for (const wake of current) wake();
  }

  /** Resolves on the next append or after `ms`, whichever comes first. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      this.waiters.add(wake);
    });
  }
}
