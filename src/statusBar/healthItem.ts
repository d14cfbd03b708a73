// The status-bar account health item. It reads accounts from the model (whoever loaded them:
// the tree, a poll, a live event) and asks for them again on an interval while the window is
// focused, backing off while Beeper Desktop does not answer. Its tooltip says how the extension
// is kept current: live, polling, or offline.
import type { LiveStatus } from '../live/liveUpdates';
import * as vscode from 'vscode';
import type { Account } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import { accountLabel, accountNetwork, humanize } from '../model/labels';
import type { BeeperModel } from '../model/model';
import type { ModelLoader } from '../model/loader';
import { aggregateHealth, nextRefreshMs, sortForAttention, type Health } from '../model/health';
import { setting } from '../host/settings';

export class HealthStatusItem implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  health: Health;
  private accounts: Account[] | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly connection: ConnectionService,
    private readonly loader: ModelLoader,
    model: BeeperModel,
    private readonly log: { debug(message: string): void },
    private readonly liveStatus: () => LiveStatus | undefined = () => undefined,
  ) {
    this.item = vscode.window.createStatusBarItem('beeper.accountHealth', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('Beeper Account Health');
    this.item.command = 'beeper.showAccountHealth';
    this.health = aggregateHealth(connection.state, undefined);
    this.disposables.push(
      this.item,
      model.onDidChange((change) => {
        if (change.kind !== 'accounts' && change.kind !== 'reset') return;
        // Another server or token: what was known about accounts no longer holds.
        this.accounts = change.kind === 'accounts' ? model.accounts : undefined;
        this.render();
      }),
      connection.onDidChangeState((state) => {
        if (state !== 'connected') this.failures++;
        else this.failures = 0;
        this.render();
        this.schedule();
      }),
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused) this.schedule();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('beeper.healthRefreshSeconds')) this.schedule();
      }),
    );
    this.render();
  }

  /** First read, after activation has returned: it shares the tree's request. */
  start(): void {
    void this.read(false).finally(() => this.schedule());
  }

  /** Reads account health again now (after a login, a reconnect, or a click on Retry). */
  async refreshNow(): Promise<void> {
    await this.read(true);
  }

  /** Accounts into the model (the tree redraws from it). A failure is the connection state's to show. */
  private async read(again: boolean): Promise<void> {
    try {
      if (!(await this.connection.requireToken())) return;
      await (again ? this.loader.reloadAccounts() : this.loader.ensureAccounts());
    } catch (e) {
      this.log.debug(`Account health: could not read accounts (${e instanceof Error ? e.message : String(e)}); the view and the status bar show the connection state.`);
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const seconds = setting('healthRefreshSeconds');
    const delay = nextRefreshMs(seconds, this.connection.state === 'connected' ? 0 : this.failures);
    if (delay === undefined || this.connection.state === 'signedOut') return;
    this.timer = setTimeout(() => {
      // Only while someone is looking: an unfocused window waits for focus to come back.
      if (!vscode.window.state.focused) return;
      void this.refreshNow().finally(() => this.schedule());
    }, delay);
  }

  /** Redraws (the live status changed). */
  update(): void {
    this.render();
  }

  private render(): void {
    const state = this.connection.state;
    const health = aggregateHealth(state, state === 'connected' ? this.accounts : undefined);
    this.health = health;
    const item = this.item;
    item.text = `$(${health.icon}) ${health.text}`;
    item.backgroundColor = health.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.accessibilityInformation = { label: this.summary(health) };
    item.tooltip = this.tooltip(health);
    item.show();
  }

  private summary(h: Health): string {
    switch (h.kind) {
      case 'signedOut':
        return vscode.l10n.t('Beeper: not signed in');
      case 'offline':
        return vscode.l10n.t('Beeper Desktop is not reachable');
      case 'unknown':
        return vscode.l10n.t('Beeper: checking accounts…');
      case 'empty':
        return vscode.l10n.t('Beeper: no chat accounts');
      case 'action':
        return h.needAction === 1 ? vscode.l10n.t('Beeper: 1 account needs you') : vscode.l10n.t('Beeper: {0} accounts need you', h.needAction);
      case 'busy':
        return vscode.l10n.t('Beeper: {0} of {1} accounts connected, {2} syncing', h.connected, h.connected + h.busy, h.busy);
      case 'ok':
        return h.connected === 1 ? vscode.l10n.t('Beeper: 1 account connected') : vscode.l10n.t('Beeper: all {0} accounts connected', h.connected);
    }
  }

  private tooltip(h: Health): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown('**');
    md.appendText(this.summary(h));
    md.appendMarkdown('**\n\n');
    if (h.kind === 'signedOut') md.appendMarkdown(`[${vscode.l10n.t('Connect to Beeper Desktop')}](command:beeper.connect)`);
    else if (h.kind === 'offline') md.appendText(vscode.l10n.t('Check that Beeper Desktop is running and its API is on. Click to retry.'));
    else if (h.kind !== 'unknown') {
      for (const a of sortForAttention(this.accounts ?? [])) {
        md.appendMarkdown('- ');
        md.appendText(`${accountLabel(a)} · ${accountNetwork(a)} · ${a.status ? humanize(a.status) : '?'}${a.statusText && a.statusText !== humanize(a.status ?? '') ? ` — ${a.statusText}` : ''}`);
        md.appendMarkdown('\n');
      }
      if (h.kind === 'action') md.appendMarkdown(`\n${vscode.l10n.t('Click to reconnect.')}`);
    }
    const live = this.liveStatus();
    if (live && h.kind !== 'signedOut') {
      md.appendMarkdown('\n\n---\n\n');
      md.appendText(liveText(live));
    }
    md.isTrusted = { enabledCommands: ['beeper.connect'] };
    return md;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** How the extension is kept current, in the user's language. */
export function liveText(status: LiveStatus): string {
  switch (status.kind) {
    case 'live':
      return vscode.l10n.t('Live updates: on');
    case 'connecting':
      return vscode.l10n.t('Live updates: connecting…');
    case 'polling':
      return vscode.l10n.t('Live updates: polling every {0} s', status.seconds);
    case 'offline':
      return vscode.l10n.t('Live updates: offline, retrying in {0} s', status.retryInSeconds);
    case 'paused':
      return vscode.l10n.t('Live updates: paused while the window is in the background');
    case 'off':
      return vscode.l10n.t('Live updates: off');
  }
}
