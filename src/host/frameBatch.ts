// Row redraws batched to one per frame: model changes name rows (or "everything"), and the view
// is told once per frame, however many events arrive. Shared by the tree and the Inbox. No vscode
// import.

/** Redraws asked for within one frame: the rows named, or everything. */
export class FrameBatch<T> {
  private pending = new Set<T>();
  private all = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flush: (rows: ReadonlySet<T> | 'all') => void,
    private readonly frameMs = 16,
  ) {}

  /** One row to redraw at the next frame, or everything (undefined). */
  schedule(row: T | undefined): void {
    if (row === undefined) this.all = true;
    else this.pending.add(row);
    this.timer ??= setTimeout(() => this.run(), this.frameMs);
  }

  private run(): void {
    this.timer = undefined;
    const all = this.all;
    const rows = this.pending;
    this.all = false;
    this.pending = new Set();
    this.flush(all ? 'all' : rows);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
