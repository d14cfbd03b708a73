// Owns the one API client of the window, the base URL and the token (SecretStorage, or
// BEEPER_ACCESS_TOKEN), and the connection state that the views' welcome content follows.
import * as vscode from 'vscode';
import { BeeperClient } from '../api/client';
import { BeeperApiError } from '../api/errors';
import { isLoopbackUrl } from '../api/transport';
import { revokeToken } from './oauth';
import { resolveBaseUrl, tokenFromEnvironment } from './settings';

export type ConnectionState = 'signedOut' | 'unreachable' | 'unauthorized' | 'connected' | 'unknown';

const SECRET_KEY = 'beeper.accessToken';
const META_KEY = 'beeper.accessTokenMeta';

/** How the stored token was obtained; kept beside it in SecretStorage. */
export interface TokenMeta {
  kind: 'oauth' | 'pasted';
  revocationEndpoint?: string;
  expiresAt?: number;
}

export class ConnectionService implements vscode.Disposable {
  private clientInstance: BeeperClient | undefined;
  private storedToken: string | undefined;
  private tokenLoaded = false;
  private stateValue: ConnectionState = 'unknown';
  /** Addresses the user was warned about (plain http to another machine); tests read it. */
  readonly warnedInsecure = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly stateChanged = new vscode.EventEmitter<ConnectionState>();
  /** The client or credentials changed: views should reload. */
  readonly onDidChange = this.changed.event;
  readonly onDidChangeState = this.stateChanged.event;
  /** Requests sent since activation (tests and benchmarks read it). */
  requestCount = 0;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.changed,
      this.stateChanged,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('beeper.baseUrl') || e.affectsConfiguration('beeper.requestTimeoutSeconds')) this.resetClient();
      }),
      secrets.onDidChange((e) => {
        if (e.key !== SECRET_KEY) return;
        // Another window signed in or out. Our own store/delete already fired and updated
        // storedToken, so an unchanged value means nothing new: no second reload.
        void this.secrets.get(SECRET_KEY).then((t) => {
          if (t === this.storedToken) return;
          this.storedToken = t;
          this.changed.fire();
        });
      }),
    );
  }

  get baseUrl(): string {
    return resolveBaseUrl(process.env, vscode.workspace.getConfiguration('beeper').get<string>('baseUrl')).url;
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** The token to send: the environment's, else the stored one. Never logged. */
  get token(): string | undefined {
    return tokenFromEnvironment(process.env) ?? this.storedToken;
  }

  get tokenFromEnvironment(): boolean {
    return tokenFromEnvironment(process.env) !== undefined;
  }

  async ready(): Promise<void> {
    if (!this.tokenLoaded) {
      this.storedToken = await this.secrets.get(SECRET_KEY);
      this.tokenLoaded = true;
    }
  }

  /** The client for the current base URL; created on first use (no requests at activation). */
  async client(): Promise<BeeperClient> {
    await this.ready();
    // The address can change under us (setting or environment): one client per address.
    if (this.clientInstance && this.clientInstance.baseUrl !== this.baseUrl) this.resetClient();
    if (!this.clientInstance) {
      const baseUrl = this.baseUrl;
      this.warnIfInsecure(baseUrl);
      const timeoutSeconds = vscode.workspace.getConfiguration('beeper').get<number>('requestTimeoutSeconds') ?? 15;
      this.clientInstance = new BeeperClient({
        baseUrl,
        token: () => this.token,
        requestTimeoutMs: timeoutSeconds * 1000,
        onRequest: (method, path) => {
          this.requestCount++;
          this.log.trace(`${method} ${path.replace(/\?.*$/, '')}`);
        },
      });
    }
    return this.clientInstance;
  }

  async storeToken(token: string, meta: TokenMeta): Promise<void> {
    this.storedToken = token;
    this.tokenLoaded = true;
    await this.secrets.store(SECRET_KEY, token);
    await this.secrets.store(META_KEY, JSON.stringify(meta));
    this.changed.fire();
  }

  /** Removes the stored token, revoking it first where it came from OAuth and the server offers revocation. */
  async forgetToken(): Promise<void> {
    await this.ready();
    const token = this.storedToken;
    const meta = await this.secrets.get(META_KEY).then((m) => (m ? (JSON.parse(m) as TokenMeta) : undefined), () => undefined);
    if (token && meta?.kind === 'oauth' && meta.revocationEndpoint) {
      await revokeToken({ revocation_endpoint: meta.revocationEndpoint }, token).catch((e: unknown) => {
        this.log.warn(`Could not revoke the token: ${e instanceof Error ? e.message : String(e)}`);
      });
    }
    this.storedToken = undefined;
    await this.secrets.delete(SECRET_KEY);
    await this.secrets.delete(META_KEY);
    this.changed.fire();
  }

  /** Records what the last call told about the connection, for the welcome views. */
  report(outcome: 'ok' | unknown): void {
    let next: ConnectionState = this.stateValue;
    if (outcome === 'ok') next = 'connected';
    else if (outcome instanceof BeeperApiError) {
      if (outcome.kind === 'unreachable' || outcome.kind === 'notBeeper') next = 'unreachable';
      else if (outcome.kind === 'unauthorized') next = this.token ? 'unauthorized' : 'signedOut';
    }
    this.setState(next);
  }

  setState(next: ConnectionState): void {
    if (next === this.stateValue) return;
    this.stateValue = next;
    void vscode.commands.executeCommand('setContext', 'beeper.state', next);
    this.stateChanged.fire(next);
  }

  private resetClient(): void {
    const old = this.clientInstance;
    this.clientInstance = undefined;
    void old?.dispose();
    this.changed.fire();
  }

  private warnIfInsecure(baseUrl: string): void {
    if (baseUrl.startsWith('http:') && !isLoopbackUrl(baseUrl) && !this.warnedInsecure.has(baseUrl)) {
      this.warnedInsecure.add(baseUrl);
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Beeper: {0} is not on this computer and uses plain http, so your access token would travel unencrypted. Use https or a local address.', baseUrl),
      );
    }
  }

  dispose(): void {
    void this.clientInstance?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
