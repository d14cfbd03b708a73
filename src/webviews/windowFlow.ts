// Pacing of the chat page's window updates: the page says which update it has applied (`applied`,
// after each frame's batch), and at most WINDOW_IN_FLIGHT updates are on their way to it at once.
// Changes that come faster than the page draws them (a flood of live messages, paging through
// history quicker than a frame) wait here and leave as one net change per kind: a message that
// came and went while waiting never reaches the page. Without it, 400 pages of history posted in
// two seconds kept the workbench's renderer busy for twenty more, long enough for VS Code to call
// the extension host unresponsive. Anything else the page is sent first releases what waits, so
// the page sees everything in the order it happened. Pure: no vscode, unit-tested in Node.
import type { WindowUpdate } from './chatPageState';
import type { ChatPageUpdate, ViewMessage } from './protocol';

/** Window updates the page has not said it applied, at most. */
export const WINDOW_IN_FLIGHT = 2;
/**
 * Runs of different kinds that may wait (each is bounded by the window, but a page that stopped
 * drawing while kinds keep alternating would add runs without end): past this, they all go.
 */
export const WINDOW_MAX_WAITING = 32;

export class WindowFlow {
  private seq = 0;
  private acked = 0;
  private held = new WindowMerge();

  constructor(private readonly inFlight = WINDOW_IN_FLIGHT) {}

  /** Window updates waiting for the page to catch up (merged as they come: as many as kinds in a row). */
  get waiting(): number {
    return this.held.runs.length;
  }

  /**
   * What to post now, for an update to a ready page. `has`: whether the page has a message (after
   * what was posted before), so that a merged change removes only what the page has.
   */
  offer(update: ChatPageUpdate, has: (id: string) => boolean): ChatPageUpdate[] {
    if (update.type !== 'window') return [...this.release(), update];
    if (this.held.runs.length || this.seq - this.acked >= this.inFlight) {
      this.held.add(update, has);
      return this.held.runs.length > WINDOW_MAX_WAITING ? this.release() : [];
    }
    return [this.stamp(update)];
  }

  /** The page applied every window update up to `seq`: what waited may go. */
  applied(seq: number): ChatPageUpdate[] {
    if (seq > this.acked && seq <= this.seq) this.acked = seq;
    return this.seq - this.acked < this.inFlight ? this.release() : [];
  }

  /** Everything that waits, now (the page was shown, or something else is sent after it). */
  release(): WindowUpdate[] {
    return this.held.take().map((u) => this.stamp(u));
  }

  /** The page started over (`ready`): it gets the whole window again, so nothing waits or is on its way. */
  restart(): void {
    this.held = new WindowMerge();
    this.acked = this.seq;
  }

  private stamp(update: WindowUpdate): WindowUpdate {
    return { ...update, seq: ++this.seq };
  }
}

interface Run {
  reason: WindowUpdate['reason'];
  upserted: Map<string, ViewMessage>;
  removed: Set<string>;
  last: WindowUpdate;
}

/**
 * Window updates merged as they come, into as few as give the page the same result: a reset drops
 * everything before it, and updates of the same kind in a row become one (removals before
 * additions, as the page applies them; the last one's ends and count). Kinds stay apart because
 * the page treats them differently (live messages count as new below the view; older and newer
 * pages end a load). A message that comes and goes while waiting is dropped at once, and a
 * removal is kept only for a message the page may have: what waits is bounded by the window.
 */
export class WindowMerge {
  runs: Run[] = [];

  /** `has`: whether the page has the message before anything that waits here. */
  add(u: WindowUpdate, has: (id: string) => boolean): void {
    if (u.reason === 'reset') this.runs = [];
    const reset = this.runs[0]?.reason === 'reset' || u.reason === 'reset';
    const present = (id: string) => (!reset && has(id)) || this.runs.some((r) => r.upserted.has(id));
    let run = this.runs[this.runs.length - 1];
    if (!run || run.reason !== u.reason || u.reason === 'reset') this.runs.push((run = { reason: u.reason, upserted: new Map(), removed: new Set(), last: u }));
    for (const id of u.removed) {
      run.upserted.delete(id);
      if (present(id)) run.removed.add(id);
    }
    for (const m of u.upserted) {
      run.removed.delete(m.id);
      run.upserted.set(m.id, m);
    }
    run.last = u;
  }

  /** The merged updates, in order; nothing waits after. */
  take(): WindowUpdate[] {
    const runs = this.runs.splice(0);
    return runs.map(({ reason, upserted, removed, last }) => ({ type: 'window', reason, upserted: [...upserted.values()], removed: [...removed], atStart: last.atStart, atEnd: last.atEnd, unseen: last.unseen }));
  }
}

/** Window updates as few as give the page the same result (see WindowMerge). */
export function mergeWindowUpdates(updates: readonly WindowUpdate[], has: (id: string) => boolean): WindowUpdate[] {
  const merge = new WindowMerge();
  for (const u of updates) merge.add(u, has);
  return merge.take();
}
