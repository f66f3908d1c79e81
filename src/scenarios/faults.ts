import {TransientError} from '../patterns/failures.js';
import {chance} from '../core/random.js';

/**
 * A simulated flaky dependency (a payment gateway, an HTTP API): each call
 * fails with probability `failRate` until `recoverAfterMs` have passed since
 * `start()` (the scenario calls it when its workload begins), then always succeeds. Whether a given attempt of a
 * given record fails is decided by the seed, not by timing.
 */
export class FlakyDependency {
  private startedAt: number | null = null;
  calls = 0;
  failures = 0;

  constructor(
    private readonly opts: {failRate: number; recoverAfterMs: number; seed: number},
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts the outage clock (the first call starts it too). */
  start(): void {
    this.startedAt ??= this.now();
  }

  get recovered(): boolean {
    this.start();
    return this.now() - this.startedAt! >= this.opts.recoverAfterMs;
  }

  call(recordId: string, attempt: number): void {
    this.calls++;
    if (this.recovered || this.opts.failRate <= 0) return;
    if (chance(this.opts.seed, 'dependency', recordId, attempt) < this.opts.failRate) {
      this.failures++;
      throw new TransientError(`dependency unavailable (call for ${recordId}, attempt ${attempt})`);
    }
  }
}
