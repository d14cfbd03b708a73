// Owns the one API client of the window, the base URL and the token (SecretStorage, or
// BEEPER_ACCESS_TOKEN), and the connection state that the views' welcome content follows.
// The state follows from what the transport reports about each call (onOutcome): callers never
// report. The stored token only goes to the origin it was stored for (see origin.ts).
import * as vscode from 'vscode';
import { BeeperClient } from '../api/client';
import { BeeperApiError, redact } from '../api/errors';
import { parseBaseUrl } from '../api/transport';
import { untrusted } from '../text/untrusted';
import { decideOrigin, isInsecureRemote, originOf } from './origin';
import { revokeToken } from './oauth';
import { resolveBaseUrl, tokenFromEnvironment } from './settings';
import { setting } from '../host/settings';
import { setContext } from '../host/contextKeys';

export type ConnectionState = 'signedOut' | 'unreachable' | 'unauthorized' | 'connected' | 'misconfigured' | 'notApproved' | 'unknown';

const SECRET_KEY = 'beeper.accessToken';
const META_KEY = 'beeper.accessTokenMeta';

/** How the stored token was obtained; kept beside it in SecretStorage. */
export interface TokenMeta {
  kind: 'oauth' | 'pasted';
  revocationEndpoint?: string;
  expiresAt?: number;
  /** The origin the token was entered or issued for. */
  origin?: string;
  /** Other origins the user agreed to send it to (and plain-http ones they accepted). */
  approvedOrigins?: string[];
}

/** Asks whether the stored token may go to another address; the integration tests replace it. */
export type OriginPrompt = (request: { host: string; origin: string; boundOrigin?: string; insecure: boolean }) => Promise<boolean>;

export class ConnectionService implements vscode.Disposable {
  private clientInstance: BeeperClient | undefined;
  private storedToken: string | undefined;
  private meta: TokenMeta | undefined;
  private tokenLoaded = false;
  private stateValue: ConnectionState = 'unknown';
  /** What the last failed call said (the welcome views and commands show it). */
  lastError: BeeperApiError | undefined;
  /** Origins the user said no to in this window; asked again only through "Review Address". */
  private readonly refusedOrigins = new Set<string>();
  private pendingApproval: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly stateChanged = new vscode.EventEmitter<ConnectionState>();
  /** The client or credentials changed: views should reload. */
  readonly onDidChange = this.changed.event;
  readonly onDidChangeState = this.stateChanged.event;
  /** Requests sent since activation (tests and benchmarks read it). */
  requestCount = 0;
  /** The modal that asks before the token goes to another address. */
  askOrigin: OriginPrompt = askOriginModal;

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
        void this.secrets.get(SECRET_KEY).then(async (t) => {
          if (t === this.storedToken) return;
          this.storedToken = t;
          this.meta = await this.readMeta();
          this.resetClient();
        }, () => undefined);
      }),
    );
  }

  /** The address as configured, whether or not it is valid (see `client()`). */
  get baseUrl(): string {
    return this.resolvedBaseUrl().url;
  }

  private resolvedBaseUrl() {
    return resolveBaseUrl(process.env, setting('baseUrl'));
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

  get signedIn(): boolean {
    return this.token !== undefined;
  }

  async ready(): Promise<void> {
    if (!this.tokenLoaded) {
      this.storedToken = await this.secrets.get(SECRET_KEY);
      this.meta = await this.readMeta();
      this.tokenLoaded = true;
    }
  }

  /** The token is loaded; without one, the state says signed out. True when there is a token. */
  async requireToken(): Promise<boolean> {
    await this.ready();
    if (this.token) return true;
    this.setState('signedOut');
    return false;
  }

  /**
   * The client for the current base URL; created on first use (no requests at activation).
   * Throws a typed error, and sets the state, when the address is not valid or the user has not
   * agreed to send the stored token there.
   */
  async client(): Promise<BeeperClient> {
    await this.ready();
    const resolved = this.resolvedBaseUrl();
    try {
      parseBaseUrl(resolved.url);
    } catch (e) {
      this.fail(e as BeeperApiError);
      throw e;
    }
    // The address can change under us (setting or environment): one client per address.
    if (this.clientInstance && this.clientInstance.baseUrl !== parseBaseUrl(resolved.url).href.replace(/\/$/, '')) this.resetClient(false);
    if (!this.clientInstance) {
      await this.approveOrigin(resolved.url, resolved.source);
      const timeoutSeconds = setting('requestTimeoutSeconds');
      this.clientInstance ??= new BeeperClient({
        baseUrl: resolved.url,
        token: () => this.token,
        requestTimeoutMs: timeoutSeconds * 1000,
        onRequest: (method, path) => {
          this.requestCount++;
          this.log.trace(`${method} ${path.replace(/\?.*$/, '')}`);
        },
        onOutcome: (outcome) => this.onOutcome(outcome),
      });
    }
    return this.clientInstance;
  }

  /**
   * True when the token may go to `url` now, without asking: it is the configured address at this
   * moment and the origin rule allows it (the socket checks this right before it connects).
   */
  mayConnect(url: string): boolean {
    const resolved = this.resolvedBaseUrl();
    try {
      if (originOf(url) !== originOf(resolved.url)) return false;
    } catch {
      // Not a URL: nothing may be sent there.
      return false;
    }
    return this.originDecision(resolved.url, resolved.source).send;
  }

  /** The origin rule for the token that would be sent to `baseUrl` now (no question asked). */
  private originDecision(baseUrl: string, source: 'environment' | 'setting' | 'default') {
    return decideOrigin({
      baseUrl,
      baseUrlSource: source,
      tokenSource: this.tokenFromEnvironment ? 'environment' : this.storedToken ? 'stored' : 'none',
      boundOrigin: this.meta?.origin,
      approved: this.meta?.approvedOrigins ?? [],
    });
  }

  /** Checks the connection now (GET /v1/accounts); the state follows. Never throws. */
  async check(): Promise<ConnectionState> {
    try {
      await (await this.client()).listAccounts();
    } catch {
      // The state already says what happened.
    }
    return this.stateValue;
  }

  /**
   * Asks, once per origin, before the stored token goes to an address other than the one it
   * was stored for (unless that is this computer), and always before plain http to another
   * computer. Nothing is sent while the question is open or after a no.
   */
  private async approveOrigin(baseUrl: string, source: 'environment' | 'setting' | 'default'): Promise<void> {
    const decision = this.originDecision(baseUrl, source);
    if (decision.send) return;
    const refused = () => {
      const error = new BeeperApiError({
        kind: 'originNotApproved',
        message: `The access token was not sent to ${decision.host}: it was stored for ${decision.boundOrigin ?? 'Beeper Desktop on this computer'}.`,
        hint: 'Use Review Address to allow it, or change beeper.baseUrl back.',
      });
      this.fail(error);
      return error;
    };
    if (this.refusedOrigins.has(decision.origin)) throw refused();
    this.pendingApproval ??= (async () => {
      const yes = await this.askOrigin({ host: decision.host, origin: decision.origin, boundOrigin: decision.boundOrigin, insecure: decision.insecure }).catch(() => false);
      if (!yes) {
        this.refusedOrigins.add(decision.origin);
        return;
      }
      await this.rememberApproval(decision.origin);
    })().finally(() => (this.pendingApproval = undefined));
    await this.pendingApproval;
    if (this.refusedOrigins.has(decision.origin)) throw refused();
  }

  /** Forgets a "no" for the current address and asks again (Beeper: Review Address). */
  async reviewAddress(): Promise<ConnectionState> {
    this.refusedOrigins.clear();
    this.resetClient();
    return this.check();
  }

  /**
   * Before a new token is entered for a plain-http address on another computer: the same modal.
   * True when the address is fine or the user agreed.
   */
  async confirmNewTokenOrigin(baseUrl: string): Promise<boolean> {
    if (!isInsecureRemote(baseUrl)) return true;
    const url = new URL(baseUrl);
    return this.askOrigin({ host: url.host, origin: url.origin, insecure: true }).catch(() => false);
  }

  private async rememberApproval(origin: string): Promise<void> {
    if (!this.meta) this.meta = { kind: 'pasted' };
    this.meta.approvedOrigins = [...new Set([...(this.meta.approvedOrigins ?? []), origin])].slice(-20);
    await this.secrets.store(META_KEY, JSON.stringify(this.meta));
  }

  async storeToken(token: string, meta: TokenMeta, baseUrl: string): Promise<void> {
    const origin = originOf(baseUrl);
    // A token confirmed for a plain-http address keeps that confirmation.
    const full: TokenMeta = { ...meta, origin, approvedOrigins: isInsecureRemote(baseUrl) ? [origin] : [] };
    this.storedToken = token;
    this.meta = full;
    this.tokenLoaded = true;
    this.refusedOrigins.clear();
    await this.secrets.store(SECRET_KEY, token);
    await this.secrets.store(META_KEY, JSON.stringify(full));
    this.resetClient();
  }

  /** Removes the stored token, revoking it first where it came from OAuth and the server offers revocation. */
  async forgetToken(): Promise<void> {
    await this.ready();
    const token = this.storedToken;
    const meta = this.meta;
    if (token && meta?.kind === 'oauth' && meta.revocationEndpoint) {
      await revokeToken({ revocation_endpoint: meta.revocationEndpoint }, token, meta.origin ?? this.baseUrl).catch((e: unknown) => {
        this.log.warn(`Could not revoke the token: ${redact(e instanceof Error ? e.message : String(e), token)}`);
      });
    }
    this.storedToken = undefined;
    this.meta = undefined;
    await this.secrets.delete(SECRET_KEY);
    await this.secrets.delete(META_KEY);
    this.resetClient();
    this.setState('signedOut');
  }

  private async readMeta(): Promise<TokenMeta | undefined> {
    try {
      const raw = await this.secrets.get(META_KEY);
      const parsed = raw ? (JSON.parse(raw) as unknown) : undefined;
      return parsed && typeof parsed === 'object' ? (parsed as TokenMeta) : undefined;
    } catch {
      // Unreadable stored metadata: treated as none (the token itself is kept).
      return undefined;
    }
  }

  /** What one finished call says about the connection; the transport calls this, nobody else. */
  private onOutcome(outcome: 'ok' | BeeperApiError): void {
    if (outcome === 'ok') {
      this.lastError = undefined;
      this.setState(this.token ? 'connected' : 'signedOut');
      return;
    }
    this.fail(outcome);
  }

  private fail(error: BeeperApiError): void {
    let next: ConnectionState | undefined;
    switch (error.kind) {
      case 'unreachable':
      case 'notBeeper':
        next = 'unreachable';
        break;
      case 'unauthorized':
        next = this.token ? 'unauthorized' : 'signedOut';
        break;
      case 'misconfigured':
        next = 'misconfigured';
        break;
      case 'originNotApproved':
        next = 'notApproved';
        break;
      default:
        // The server answered (an error about one call): the connection itself is fine.
        if (this.stateValue === 'unreachable' || this.stateValue === 'unknown' || this.stateValue === 'misconfigured') next = this.token ? 'connected' : 'signedOut';
    }
    if (next && next !== 'connected') this.lastError = error;
    if (next) this.setState(next);
  }

  setState(next: ConnectionState): void {
    if (next === this.stateValue) return;
    this.stateValue = next;
    setContext('beeper.state', next);
    this.stateChanged.fire(next);
  }

  private resetClient(notify = true): void {
    const old = this.clientInstance;
    this.clientInstance = undefined;
    void old?.dispose();
    if (notify) this.changed.fire();
  }

  dispose(): void {
    void this.clientInstance?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** The modal: names the host, says where the token was stored for, warns about plain http. */
const askOriginModal: OriginPrompt = async ({ host, boundOrigin, insecure }) => {
  const safeHost = untrusted(host, 120);
  const lines = [
    boundOrigin
      ? vscode.l10n.t('Your Beeper access token was stored for {0}. beeper.baseUrl now points at {1}.', untrusted(boundOrigin, 120), safeHost)
      : vscode.l10n.t('beeper.baseUrl points at {0}, which is not this computer.', safeHost),
    insecure ? vscode.l10n.t('This address uses plain http: the token and your messages would travel unencrypted, readable by anyone on the network.') : undefined,
    vscode.l10n.t('Send the token only to a Beeper Desktop you set up yourself. Nothing is sent until you agree.'),
  ].filter(Boolean);
  const send = vscode.l10n.t('Send Token to {0}', safeHost);
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Send your Beeper access token to {0}?', safeHost), { modal: true, detail: lines.join('\n\n') }, send);
  return choice === send;
};
