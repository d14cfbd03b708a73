// Merges a storm of events about the same keys into few runs: a key's first event runs it after
// `gatherMs` (100 ms, so a burst lands in one run while a single event still shows within a
// tenth of a second), later events run it again at most once per `windowMs`,
// and never twice at once (events during a run schedule one more run after it). No vscode import.
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface KeyState {
  timer?: unknown;
  running: boolean;
  /** Another event arrived while running: run once more afterwards. */
  again: boolean;
  lastRun: number;
  /** Forgets the key once its window has passed with nothing new. */
  cleanup?: unknown;
}

export class Coalescer<K> {
  private readonly keys = new Map<K, KeyState>();
  /** Runs started (tests and benchmarks read it). */
  runs = 0;
  private disposed = false;

  constructor(
    private readonly run: (key: K) => Promise<void>,
    private readonly windowMs = 250,
    private readonly gatherMs = 100,
    private readonly clock: Clock = realClock,
  ) {}

  push(key: K): void {
    if (this.disposed) return;
    let state = this.keys.get(key);
    if (!state) {
      state = { running: false, again: false, lastRun: -Infinity };
      this.keys.set(key, state);
    }
    if (state.cleanup !== undefined) {
      this.clock.clearTimeout(state.cleanup);
      state.cleanup = undefined;
    }
    if (state.running) {
      state.again = true;
      return;
    }
    if (state.timer !== undefined) return;
    const due = Math.max(this.gatherMs, state.lastRun + this.windowMs - this.clock.now());
    state.timer = this.clock.setTimeout(() => void this.fire(key), due);
  }

  /** Keys waiting or running. */
  get pending(): number {
    return this.keys.size;
  }

  private async fire(key: K): Promise<void> {
    const state = this.keys.get(key);
    if (!state || this.disposed) return;
    state.timer = undefined;
    state.running = true;
    state.again = false;
    state.lastRun = this.clock.now();
    this.runs++;
    try {
      await this.run(key);
    } catch {
      // The runner reports its own failures; the next event tries again.
    } finally {
      state.running = false;
    }
    if (this.disposed) return;
    if (state.again) {
      state.again = false;
      this.push(key);
    } else {
      // Idle keys are forgotten once their window is over, so memory follows the chats in play.
      state.cleanup = this.clock.setTimeout(() => {
        if (!state.running && state.timer === undefined) this.keys.delete(key);
      }, this.windowMs);
    }
  }

  /** Keys with a run waiting (not running): what a flood is measured by. */
  get waiting(): number {
    let n = 0;
    for (const state of this.keys.values()) if (state.timer !== undefined) n++;
    return n;
  }

  /** Every waiting run dropped (a flood: the caller reads everything once instead). Running ones finish. */
  dropWaiting(): number {
    let dropped = 0;
    for (const [key, state] of this.keys) {
      if (state.timer === undefined) continue;
      this.clock.clearTimeout(state.timer);
      state.timer = undefined;
      dropped++;
      if (!state.running) this.keys.delete(key);
    }
    return dropped;
  }

  dispose(): void {
    this.disposed = true;
    for (const state of this.keys.values()) {
      if (state.timer !== undefined) this.clock.clearTimeout(state.timer);
      if (state.cleanup !== undefined) this.clock.clearTimeout(state.cleanup);
    }
    this.keys.clear();
  }
}

/** At most `max` tasks at once; the rest wait their turn, first come first served. */
export class ConcurrencyLimit {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finished task hands its slot straight to the next in line, so nobody can slip in between.
    if (this.active >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}
