// Beeper Desktop's own MCP server, offered to VS Code's chat as "Beeper Desktop" while
// `beeper.mcpServer` is on, the extension is connected and Desktop has its MCP server turned on.
// The definition names only the URL; the token is added when VS Code starts the server
// (`resolveMcpServerDefinition`), from SecretStorage, as a header, so it never sits in a file.
import * as vscode from 'vscode';
import type { ConnectionService } from '../connection/connectionService';
import { mcpUrl } from '../live/socketUrl';

export const MCP_PROVIDER_ID = 'beeper.desktop';
export const MCP_SERVER_LABEL = 'Beeper Desktop';

export class BeeperMcpProvider implements vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  /** Why nothing is offered right now (logged once per reason). */
  private lastReason: string | undefined;

  constructor(
    private readonly connection: ConnectionService,
    private readonly enabled: () => boolean,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Asks VS Code to read the definitions again (state, address or setting changed). */
  refresh(): void {
    this.changed.fire();
  }

  async provideMcpServerDefinitions(token?: vscode.CancellationToken): Promise<vscode.McpHttpServerDefinition[]> {
    const url = await this.serverUrl(token);
    if (!url) return [];
    return [new vscode.McpHttpServerDefinition(MCP_SERVER_LABEL, vscode.Uri.parse(url.href), {}, url.version)];
  }

  async resolveMcpServerDefinition(server: vscode.McpHttpServerDefinition, token?: vscode.CancellationToken): Promise<vscode.McpHttpServerDefinition> {
    const url = await this.serverUrl(token);
    if (!url) throw new Error(vscode.l10n.t('Beeper Desktop\'s MCP server is not available: {0}', this.lastReason ?? vscode.l10n.t('not connected')));
    // The URL is checked again: the token goes only to the server it belongs to.
    if (url.href !== server.uri.toString(true) && url.href !== server.uri.toString()) {
      throw new Error(vscode.l10n.t('Beeper Desktop\'s MCP address changed; refresh the MCP servers and start it again.'));
    }
    const secret = this.connection.token;
    if (!secret) throw new Error(vscode.l10n.t('Sign in to Beeper Desktop first (Beeper: Connect).'));
    server.headers = { ...server.headers, Authorization: `Bearer ${secret}` };
    return server;
  }

  /** Where Desktop's MCP server is, when it may be offered; undefined (with the reason logged) when not. */
  private async serverUrl(token?: vscode.CancellationToken): Promise<{ href: string; version: string } | undefined> {
    const no = (reason: string) => {
      if (reason !== this.lastReason) this.log.info(`MCP server not offered: ${reason}`);
      this.lastReason = reason;
      return undefined;
    };
    if (!this.enabled()) return no('beeper.mcpServer is off');
    if (this.connection.state !== 'connected') return no(`not connected (${this.connection.state})`);
    const abort = new AbortController();
    const sub = token?.onCancellationRequested(() => abort.abort());
    try {
      const info = await (await this.connection.client()).getInfo({ signal: abort.signal });
      if (info.server.mcp_enabled === false) return no('the MCP server is turned off in Beeper Desktop (Settings → Developers)');
      const checked = mcpUrl(info.endpoints?.mcp, this.connection.baseUrl);
      if (!checked.ok) return no(checked.reason);
      this.lastReason = undefined;
      return { href: checked.url, version: info.app.version };
    } catch (e) {
      return no(`GET /v1/info failed (${e instanceof Error ? e.message : String(e)})`);
    } finally {
      sub?.dispose();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
