/** Holds traffic while closed; everything waiting goes on, in order, when it opens again. */
export class PauseGate {
  private opened: Promise<void> = Promise.resolve();
  private open: (() => void) | null = null;

  get closed(): boolean {
    return this.open !== null;
  }

  set(paused: boolean): void {
    if (paused && !this.open) {
      this.opened = new Promise((resolve) => (this.open = resolve));
    } else if (!paused && this.open) {
      this.open();
      this.open = null;
    }
  }

  /** Resolves at once when open, else when the gate opens. */
  pass(): Promise<void> {
    return this.opened;
  }
}
