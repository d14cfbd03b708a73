// Beeper: Connect to Beeper Desktop / Beeper: Sign Out.
// Finds the server (setting, else a scan of 127.0.0.1:23373–23392), then gets a token by OAuth
// with PKCE (one approval click in Beeper Desktop) or by pasting one; validates and stores it.
import * as vscode from 'vscode';
import { BeeperClient } from '../api/client';
import { BeeperApiError, describeError } from '../api/errors';
import type { ServerInfo } from '../api/types';
import type { ConnectionService, TokenMeta } from '../connection/connectionService';
import * as oauth from '../connection/oauth';
import { untrusted } from '../text/untrusted';

export interface ConnectArgs {
  /** Skip the method pick (tests, links from welcome views). */
  method?: 'oauth' | 'token';
  /** A token to validate instead of asking (tests). */
  token?: string;
  /** How to open the authorize URL; vscode.env.openExternal by default (tests pass a fetcher). */
  openExternal?: (url: string) => Promise<boolean>;
}

const PROBE_PORTS = Array.from({ length: 20 }, (_, i) => 23373 + i);
const APPROVAL_TIMEOUT_MS = 5 * 60_000;

async function probe(baseUrl: string, timeoutMs: number): Promise<ServerInfo | undefined> {
  const client = new BeeperClient({ baseUrl, token: () => undefined, connectTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs });
  try {
    return await client.getInfo();
  } catch {
    // Nothing answered on this port: the next one is tried.
    return undefined;
  } finally {
    void client.dispose();
  }
}

/** Validates a token with GET /v1/accounts; returns the account count or throws the typed error. */
async function validate(baseUrl: string, token: string): Promise<number> {
  const client = new BeeperClient({ baseUrl, token: () => token });
  try {
    return (await client.listAccounts()).length;
  } finally {
    void client.dispose();
  }
}

async function locateServer(connection: ConnectionService): Promise<{ baseUrl: string; info: ServerInfo } | undefined> {
  const configured = connection.baseUrl;
  const info = await probe(configured, 2000);
  if (info && !(await connection.confirmNewTokenOrigin(configured))) return undefined;
  if (info) return { baseUrl: configured, info };
  const found = (await Promise.all(PROBE_PORTS.map(async (port) => ({ port, info: await probe(`http://127.0.0.1:${port}`, 700) })))).filter(
    (f): f is { port: number; info: ServerInfo } => f.info !== undefined,
  );
  if (found.length === 0) {
    const choice = await vscode.window.showErrorMessage(
      vscode.l10n.t('Beeper: could not reach Beeper Desktop at {0}, because: nothing answers there. Start it and turn on its API (Settings → Developers → Beeper Desktop API).', untrusted(configured, 200)),
      vscode.l10n.t('Retry'),
      vscode.l10n.t('Open Settings'),
    );
    if (choice === vscode.l10n.t('Retry')) return locateServer(connection);
    if (choice === vscode.l10n.t('Open Settings')) void vscode.commands.executeCommand('workbench.action.openSettings', 'beeper.baseUrl');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    found.map((f) => ({ label: `http://127.0.0.1:${f.port}`, description: untrusted(`${f.info.app.name} ${f.info.app.version}`, 120), port: f.port })),
    { title: vscode.l10n.t('Beeper Desktop is not at {0}. Use one that answered?', untrusted(configured, 200)), ignoreFocusOut: true },
  );
  if (!pick) return undefined;
  await vscode.workspace.getConfiguration('beeper').update('baseUrl', pick.label, vscode.ConfigurationTarget.Global);
  return { baseUrl: pick.label, info: found.find((f) => f.port === pick.port)!.info };
}

async function tokenByPaste(baseUrl: string): Promise<string | undefined> {
  let problem: string | undefined;
  for (;;) {
    const token = await vscode.window.showInputBox({
      title: vscode.l10n.t('Connect to Beeper Desktop'),
      prompt: problem ?? vscode.l10n.t('Paste an access token from Beeper Desktop (Settings → Developers → Beeper Desktop API → Create token).'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Paste the token here.')),
    });
    if (!token) return undefined;
    try {
      await validate(baseUrl, token.trim());
      return token.trim();
    } catch (e) {
      if (e instanceof BeeperApiError && e.kind === 'unauthorized') problem = vscode.l10n.t('Beeper Desktop did not accept that token. Check it and paste it again.');
      else throw e;
    }
  }
}

async function tokenByOAuth(
  baseUrl: string,
  info: ServerInfo,
  openExternal: (url: string) => Promise<boolean>,
): Promise<(oauth.TokenResult & { revocationEndpoint?: string }) | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Beeper: approve the request in Beeper Desktop…'), cancellable: true },
    async (_progress, cancel) => {
      const abort = new AbortController();
      cancel.onCancellationRequested(() => abort.abort());
      const timer = setTimeout(() => abort.abort(), APPROVAL_TIMEOUT_MS);
      const state = oauth.randomState();
      const receiver = await oauth.startLoopbackReceiver(state, abort.signal);
      try {
        const endpoints = await oauth.discoverEndpoints(baseUrl, info, abort.signal);
        const clientId = await oauth.registerClient(endpoints, receiver.redirectUri, abort.signal);
        const pkce = oauth.createPkce();
        // authorizeUrl only ever returns an http(s) URL on the server's own origin (or loopback).
        if (!(await openExternal(oauth.authorizeUrl(endpoints, clientId, receiver.redirectUri, pkce, state)))) return undefined;
        const code = await receiver.code;
        const token = await oauth.exchangeCode(endpoints, clientId, receiver.redirectUri, code, pkce, abort.signal);
        return { ...token, revocationEndpoint: endpoints.revocation_endpoint };
      } catch (e) {
        if (abort.signal.aborted && !cancel.isCancellationRequested) {
          throw new BeeperApiError({ kind: 'timeout', message: 'The sign-in was not approved within 5 minutes.', hint: 'Run Beeper: Connect to Beeper Desktop again.' });
        }
        if (e instanceof BeeperApiError && e.kind === 'cancelled') return undefined;
        throw e;
      } finally {
        clearTimeout(timer);
        receiver.close();
      }
    },
  );
}

/** Storing or forgetting the token fires connection.onDidChange, which reloads the tree. */
export function registerConnectCommands(connection: ConnectionService): vscode.Disposable[] {
  const connect = async (args: ConnectArgs = {}) => {
    try {
      const server = await locateServer(connection);
      if (!server) return false;
      let method = args.method;
      if (!method && !args.token) {
        const pick = await vscode.window.showQuickPick(
          [
            { label: `$(link-external) ${vscode.l10n.t('Sign in with Beeper Desktop')}`, detail: vscode.l10n.t('Opens Beeper Desktop to approve access (recommended).'), method: 'oauth' as const },
            { label: `$(key) ${vscode.l10n.t('Paste an access token')}`, detail: vscode.l10n.t('Created in Beeper Desktop under Settings → Developers.'), method: 'token' as const },
          ],
          { title: vscode.l10n.t('Connect to Beeper Desktop ({0})', untrusted(server.info.app.version, 40)), ignoreFocusOut: true },
        );
        if (!pick) return false;
        method = pick.method;
      }
      let token: string | undefined;
      let meta: TokenMeta = { kind: 'pasted' };
      if (args.token) {
        await validate(server.baseUrl, args.token);
        token = args.token;
      } else if (method === 'token') {
        token = await tokenByPaste(server.baseUrl);
      } else {
        const open = args.openExternal ?? ((url: string) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url, true))));
        const result = await tokenByOAuth(server.baseUrl, server.info, open);
        if (result) {
          await validate(server.baseUrl, result.accessToken);
          token = result.accessToken;
          meta = { kind: 'oauth', revocationEndpoint: result.revocationEndpoint, expiresAt: result.expiresAt };
        }
      }
      if (!token) return false;
      await connection.storeToken(token, meta, server.baseUrl);
      connection.setState('connected');
      if (connection.tokenFromEnvironment) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Beeper: the token is stored, but BEEPER_ACCESS_TOKEN is set in this environment and takes precedence.'));
      } else {
        void vscode.window.showInformationMessage(vscode.l10n.t('Beeper: connected to Beeper Desktop {0}.', untrusted(server.info.app.version, 40)));
      }
      return true;
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not connect, because: {0}', untrusted(describeError(e), 600)));
      return false;
    }
  };

  const signOut = async () => {
    await connection.forgetToken();
    void vscode.window.showInformationMessage(vscode.l10n.t('Beeper: signed out. The access token was removed from this computer.'));
  };

  return [
    vscode.commands.registerCommand('beeper.connect', connect),
    vscode.commands.registerCommand('beeper.signOut', signOut),
    vscode.commands.registerCommand('beeper.reviewAddress', () => connection.reviewAddress()),
  ];
}
