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
import { PanelRegistry, WebviewPanelBase } from './panelBase';
import type { BridgePageRequest, BridgePageUpdate } from './protocol';
import { bridgeRequestValidators } from './validate';

const BRIDGE_PANEL_VIEW_TYPE = 'beeper.bridge';

export class BridgePanels implements vscode.Disposable {
  private readonly registry: PanelRegistry<BridgePanel>;

  constructor(extensionUri: vscode.Uri, connection: ConnectionService, log?: { debug(message: string): void }) {
    this.registry = new PanelRegistry<BridgePanel>(
      BRIDGE_PANEL_VIEW_TYPE,
      () => ({ ...panelOptions(extensionUri), enableFindWidget: true }),
      vscode.Uri.joinPath(extensionUri, 'media', 'beeper.svg'),
      (panel, bridgeID) => new BridgePanel(panel, bridgeID, extensionUri, connection, log),
      (state) => (typeof state === 'object' && state !== null && typeof (state as { bridgeID?: unknown }).bridgeID === 'string' ? (state as { bridgeID: string }).bridgeID : undefined),
    );
  }

  async open(bridgeID: string, title?: string): Promise<BridgePanel> {
    const { panel, created } = this.registry.open(bridgeID, title || vscode.l10n.t('Bridge'));
    if (created) await panel.loaded;
    return panel;
  }

  get(bridgeID: string): BridgePanel | undefined {
    return this.registry.get(bridgeID);
  }

  dispose(): void {
    this.registry.dispose();
  }
}

export class BridgePanel extends WebviewPanelBase<BridgePageRequest, BridgePageUpdate> {
  readonly loaded: Promise<void>;
  /** What the page shows (read through the testing port). */
  model: BridgePageModel | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    readonly bridgeID: string,
    private readonly extensionUri: vscode.Uri,
    private readonly connection: ConnectionService,
    log?: { debug(message: string): void },
  ) {
    super(panel, bridgeRequestValidators, log);
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

  /** The page's HTML is the whole state (it is drawn from one read): nothing to replay. */
  protected replay(): void {}

  /** Only a flow the bridge listed can be started from the page (the page is not trusted). */
  protected async onRequest(m: BridgePageRequest): Promise<void> {
    if (m.type !== 'addAccount' || !this.model?.flows?.some((f) => f.id === m.flowID)) return;
    await vscode.commands.executeCommand('beeper.addAccount', { bridgeID: this.bridgeID, flowID: m.flowID });
  }
}
