// What every Beeper webview panel is built on (in the spirit of the PR extension's WebviewBase and
// GitLens's typed IPC): the page is a shell plus its script; everything it shows comes as typed
// messages. Posts wait until the page says `ready`. VS Code discards a hidden page's content
// unless the panel retains it, so a hidden panel that does not retain it counts as not ready; and
// every `ready` (the first, and each after the page was re-created: a reload, a move to another
// group, a discarded page shown again) replays the current state from what the host already holds:
// nothing is fetched again, and the page comes back as it is now, not as it was when hidden.
// Messages the page sends are checked by one validator per type before anything reads them.
import * as vscode from 'vscode';
import { validateMessage, type Validators } from './validate';

/** Posts kept while the page is not ready (those that are not state: replay covers state). */
const MAX_QUEUED = 50;
/** Posts remembered for the testing port. */
const MAX_RECORDED = 200;

export abstract class WebviewPanelBase<Request extends { type: string }, Update extends { type: string }> implements vscode.Disposable {
  private isReady = false;
  private readyWaiters: Array<() => void> = [];
  private queue: Update[] = [];
  protected readonly disposables: vscode.Disposable[] = [];
  protected disposed = false;

  /** The panel was closed (its webview may no longer be asked anything). */
  get isDisposed(): boolean {
    return this.disposed;
  }
  /** The HTML last given to the webview (read through the testing port). */
  html = '';
  /** The newest posts, in order, and how many `ready`s were replayed (read through the testing port). */
  readonly posted: Update[] = [];
  replays = 0;
  private readonly deliveredTypes = new Set<string>();

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly validators: Validators<Request | { type: 'ready' }>,
    private readonly log?: { debug(message: string): void },
  ) {
    this.disposables.push(
      // First of the panel's dispose listeners: the others (and what they fire) see it closed.
      panel.onDidDispose(() => (this.disposed = true)),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidChangeViewState(() => {
        // Hidden without a retained context: VS Code discards the page; it says `ready` again when
        // shown, and gets the state then. A retained page stays ready and keeps getting updates.
        if (!panel.visible && !panel.options.retainContextWhenHidden) this.isReady = false;
        this.onViewStateChanged();
      }),
    );
  }

  get ready(): boolean {
    return this.isReady;
  }

  /** Whether an update of this type reached a ready page (the benchmark waits on it). */
  delivered(type: Update['type']): boolean {
    return this.deliveredTypes.has(type);
  }

  /** Resolves once the page's script has said `ready`. */
  whenReady(): Promise<void> {
    return this.isReady ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Posts an update. While the page is not ready, state updates are dropped (the next `ready`
   * replays the state) and others (answers, commands for the page) wait, in order.
   */
  protected post(update: Update): void {
    if (this.disposed) return;
    this.observe(update);
    this.posted.push(update);
    if (this.posted.length > MAX_RECORDED) this.posted.shift();
    if (this.isReady) {
      this.deliveredTypes.add(update.type);
      void this.panel.webview.postMessage(update);
      return;
    }
    if (this.isState(update)) return;
    this.queue.push(update);
    if (this.queue.length > MAX_QUEUED) this.queue.shift();
  }

  /** A new page: its script will say `ready`, and gets the state then. */
  protected setHtml(html: string): void {
    this.isReady = false;
    this.html = html;
    this.panel.webview.html = html;
  }

  /** A message from the page (the testing port sends them too); resolves when it was handled. */
  async receive(raw: unknown): Promise<void> {
    const message = validateMessage(raw, this.validators);
    if (!message) {
      this.log?.debug(`A webview page sent a message that was not valid; it was ignored (${typeof raw === 'object' && raw !== null ? String((raw as { type?: unknown }).type).slice(0, 40) : typeof raw}).`);
      return;
    }
    try {
      if (message.type === 'ready') {
        this.isReady = true;
        this.replays++;
        const queued = this.queue.splice(0);
        for (const w of this.readyWaiters.splice(0)) w();
        await this.replay(message as Extract<Request, { type: 'ready' }>);
        for (const update of queued) if (this.isReady) void this.panel.webview.postMessage(update);
        for (const update of queued) this.deliveredTypes.add(update.type);
        return;
      }
      await this.onRequest(message as Request);
    } catch (e) {
      this.log?.debug(`A page's ${message.type} could not be handled: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Posts the whole current state (after every `ready`), from what the host holds. */
  protected abstract replay(ready: Extract<Request, { type: 'ready' }>): void | Promise<void>;

  /** A validated request from the page. */
  protected abstract onRequest(request: Request): void | Promise<void>;

  /** Whether an update is state (replayed on `ready`) rather than a one-off answer or command. */
  protected isState(_update: Update): boolean {
    return true;
  }

  /** Every post, ready or not (the chat panel keeps its mirror of the page with it). */
  protected observe(_update: Update): void {
    // Nothing by default.
  }

  protected onViewStateChanged(): void {
    // For subclasses (a chat marks read when it becomes visible).
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/**
 * The open/reveal/restore skeleton every panel kind shares: one panel per key, revealed when
 * opened again, restored after a window reload through its serializer (or closed when there is
 * nothing to restore).
 */
export class PanelRegistry<P extends { readonly panel: vscode.WebviewPanel; dispose(): void }> implements vscode.Disposable {
  private readonly panels = new Map<string, P>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly viewType: string,
    private readonly options: () => vscode.WebviewPanelOptions & vscode.WebviewOptions,
    private readonly iconPath: vscode.Uri,
    private readonly create: (panel: vscode.WebviewPanel, key: string, restoredState: unknown) => P,
    /** The key a restored panel's saved state names, or undefined (nothing to restore). */
    keyOf: (state: unknown) => string | undefined,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(viewType, {
        deserializeWebviewPanel: (panel, state: unknown) => {
          const key = keyOf(state);
          // Nothing to restore, or a duplicate: close rather than show an empty panel.
          if (!key || this.panels.has(key)) panel.dispose();
          else this.adopt(panel, key, state);
          return Promise.resolve();
        },
      }),
    );
  }

  get(key: string): P | undefined {
    return this.panels.get(key);
  }

  keys(): string[] {
    return [...this.panels.keys()];
  }

  values(): P[] {
    return [...this.panels.values()];
  }

  /** The open panel, revealed, or a new one. */
  open(key: string, title: string): { panel: P; created: boolean } {
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return { panel: existing, created: false };
    }
    const webviewPanel = vscode.window.createWebviewPanel(this.viewType, title, vscode.ViewColumn.Active, this.options());
    return { panel: this.adopt(webviewPanel, key, undefined), created: true };
  }

  private adopt(webviewPanel: vscode.WebviewPanel, key: string, state: unknown): P {
    webviewPanel.webview.options = this.options();
    webviewPanel.iconPath = this.iconPath;
    const panel = this.create(webviewPanel, key, state);
    this.panels.set(key, panel);
    webviewPanel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
      panel.dispose();
    });
    return panel;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
