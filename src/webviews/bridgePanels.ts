// Bridge details panels: one per bridge (opening it again reveals it), restored after a window
// reload. The page shows what GET /v1/bridges/{id}, its login flows and its capabilities say;
// "Add account with this flow" runs Add Chat Account with a flow the bridge itself listed.
import * as vscode from 'vscode';
import { BeeperApiError, describeError } from '../api/errors';
import type { LoginFlow, ProvisioningCapabilities } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import { bridgeDetailsHtml, type BridgePageModel } from './bridgeDetailsHtml';
import { displayText, escapeHtml, pageEnd, pageStart, type PageFrame } from './html';
import { pageFrame, panelOptions } from './panelFrame';
import type { BridgePageRequest } from './protocol';

const BRIDGE_PANEL_VIEW_TYPE = 'beeper.bridge';

export class BridgePanels implements vscode.Disposable {
  private readonly panels = new Map<string, BridgePanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly connection: ConnectionService,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(BRIDGE_PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state: unknown) => {
          const bridgeID = typeof state === 'object' && state !== null && typeof (state as { bridgeID?: unknown }).bridgeID === 'string' ? (state as { bridgeID: string }).bridgeID : undefined;
          if (!bridgeID || this.panels.has(bridgeID)) panel.dispose();
          else this.adopt(panel, bridgeID);
          return Promise.resolve();
        },
      }),
    );
  }

  async open(bridgeID: string, title?: string): Promise<BridgePanel> {
    const existing = this.panels.get(bridgeID);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(BRIDGE_PANEL_VIEW_TYPE, title || vscode.l10n.t('Bridge'), vscode.ViewColumn.Active, this.options());
    const bridgePanel = this.adopt(panel, bridgeID);
    await bridgePanel.loaded;
    return bridgePanel;
  }

  get(bridgeID: string): BridgePanel | undefined {
    return this.panels.get(bridgeID);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { ...panelOptions(this.extensionUri), enableFindWidget: true };
  }

  private adopt(panel: vscode.WebviewPanel, bridgeID: string): BridgePanel {
    panel.webview.options = this.options();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'beeper.svg');
    const bridgePanel = new BridgePanel(panel, bridgeID, this.extensionUri, this.connection);
    this.panels.set(bridgeID, bridgePanel);
    panel.onDidDispose(() => {
      this.panels.delete(bridgeID);
      bridgePanel.dispose();
    });
    return bridgePanel;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export class BridgePanel implements vscode.Disposable {
  readonly loaded: Promise<void>;
  /** The HTML last given to the webview, and what it showed (tests read both). */
  html = '';
  model: BridgePageModel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly bridgeID: string,
    private readonly extensionUri: vscode.Uri,
    private readonly connection: ConnectionService,
  ) {
    this.disposables.push(panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)));
    this.loaded = this.load();
  }

  async load(): Promise<void> {
    const frame = this.frame();
    try {
      const client = await this.connection.client();
      const optional = <T>(p: Promise<T>): Promise<{ value?: T; error?: string }> =>
        p.then(
          (value) => ({ value }),
          (e: unknown) => (e instanceof BeeperApiError && e.kind === 'featureUnavailable' ? {} : { error: describeError(e) }),
        );
      const [bridge, flows, caps] = await Promise.all([
        client.getBridge(this.bridgeID),
        optional<LoginFlow[]>(client.listLoginFlows(this.bridgeID)),
        optional<ProvisioningCapabilities>(client.getBridgeCapabilities(this.bridgeID)),
      ]);
      this.model = { bridge, accounts: bridge.accounts, flows: flows.value, flowsError: flows.error, capabilities: caps.value, capabilitiesError: caps.error };
      this.panel.title = displayText(bridge.displayName, 80) || vscode.l10n.t('Bridge');
      this.setHtml(bridgeDetailsHtml(frame, this.model));
    } catch (e) {
      const t = frame.t;
      this.setHtml(`${pageStart(frame, t('Bridge'), ` data-bridge-id="${escapeHtml(this.bridgeID)}"`)}
<h1>${escapeHtml(t('Could not load this bridge'))}</h1>
<p role="alert">${escapeHtml(displayText(describeError(e), 600))}</p>
${pageEnd(frame)}`);
    }
  }

  private frame(): PageFrame {
    return pageFrame(this.panel.webview, this.extensionUri, 'bridge', false);
  }

  private setHtml(html: string): void {
    this.html = html;
    this.panel.webview.html = html;
  }

  /** Only a flow the bridge listed can be started from the page (the page is not trusted). */
  async onMessage(message: unknown): Promise<void> {
    const m = message as BridgePageRequest;
    if (m?.type !== 'addAccount' || typeof m.flowID !== 'string') return;
    if (!this.model?.flows?.some((f) => f.id === m.flowID)) return;
    await vscode.commands.executeCommand('beeper.addAccount', { bridgeID: this.bridgeID, flowID: m.flowID });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
