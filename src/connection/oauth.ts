// OAuth 2.0 authorization code with PKCE (S256), as Beeper Desktop offers it: discover the
// endpoints, register a public client with a loopback redirect, receive the code on a
// 127.0.0.1 listener (state verified), exchange it form-encoded. No vscode import: the UI
// layer opens the browser and shows progress.
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { BeeperApiError } from '../api/errors';
import { isLoopbackUrl, MAX_RESPONSE_BYTES, readCapped } from '../api/transport';
import type { ServerInfo } from '../api/types';

export interface OAuthEndpoints {
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint: string;
  revocation_endpoint?: string;
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export interface TokenResult {
  accessToken: string;
  /** Epoch ms when the token stops working, when the server said. */
  expiresAt?: number;
  scope?: string;
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function discoverEndpoints(baseUrl: string, info: ServerInfo | undefined, signal?: AbortSignal): Promise<OAuthEndpoints> {
  const fromInfo = info?.endpoints?.oauth;
  if (fromInfo?.authorization_endpoint && fromInfo.token_endpoint && fromInfo.registration_endpoint) {
    return checkEndpoints(fromInfo as OAuthEndpoints, baseUrl);
  }
  const meta = await jsonRequest('GET', `${baseUrl}/.well-known/oauth-authorization-server`, undefined, signal);
  const o = meta as Partial<Record<keyof OAuthEndpoints, unknown>>;
  if (typeof o.authorization_endpoint !== 'string' || typeof o.token_endpoint !== 'string' || typeof o.registration_endpoint !== 'string') {
    throw new BeeperApiError({
      kind: 'featureUnavailable',
      message: 'This Beeper Desktop does not offer sign-in from other apps.',
      hint: 'Paste an access token from Beeper Desktop (Settings → Developers) instead.',
    });
  }
  return checkEndpoints(
    {
      authorization_endpoint: o.authorization_endpoint,
      token_endpoint: o.token_endpoint,
      registration_endpoint: o.registration_endpoint,
      revocation_endpoint: typeof o.revocation_endpoint === 'string' ? o.revocation_endpoint : undefined,
    },
    baseUrl,
  );
}

/**
 * Every endpoint must be on the base URL's origin (or this computer) and http(s): a server
 * cannot send the sign-in, the code or the token anywhere else.
 */
export function checkEndpoints(endpoints: OAuthEndpoints, baseUrl: string): OAuthEndpoints {
  const base = new URL(baseUrl).origin;
  for (const [name, value] of Object.entries(endpoints)) {
    if (value === undefined) continue;
    if (!endpointAllowed(value, base)) {
      throw new BeeperApiError({
        kind: 'badResponse',
        message: `Beeper Desktop named a sign-in address (${name}) outside ${base}; the sign-in was stopped.`,
        hint: 'Paste an access token from Beeper Desktop (Settings → Developers) instead.',
      });
    }
  }
  return endpoints;
}

function endpointAllowed(value: unknown, baseOrigin: string): boolean {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not a URL: refused.
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return url.origin === baseOrigin || isLoopbackUrl(value);
}

/** A one-shot listener on 127.0.0.1 for the authorization redirect. */
export interface LoopbackReceiver {
  redirectUri: string;
  /** Resolves with the code once a redirect with the right state arrives. */
  code: Promise<string>;
  close(): void;
}

export async function startLoopbackReceiver(state: string, signal?: AbortSignal): Promise<LoopbackReceiver> {
  let settle!: { resolve: (code: string) => void; reject: (e: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // The caller awaits `code` and gets its rejection; this only keeps an unawaited one from being unhandled.
  code.catch(() => undefined);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const page = (title: string, text: string) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'" });
      res.end(`<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`);
    };
    if (url.searchParams.get('state') !== state) {
      // Not our request (or forged): ignore it and keep waiting for the real one.
      page('Sign-in not recognised', 'This sign-in link does not belong to the VS Code window that is waiting. Start again from VS Code.');
      return;
    }
    const error = url.searchParams.get('error');
    const received = url.searchParams.get('code');
    if (error || !received) {
      page('Sign-in not completed', 'Beeper Desktop did not approve the sign-in. You can close this tab.');
      settle.reject(new BeeperApiError({ kind: 'unauthorized', message: `Beeper Desktop did not approve the sign-in (${error ?? 'no code'}).`, hint: 'Try again and approve the request in Beeper Desktop.' }));
    } else {
      page('VS Code is connected to Beeper', 'You can close this tab and return to VS Code.');
      settle.resolve(received);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const close = () => {
    server.close();
    server.closeAllConnections?.();
  };
  signal?.addEventListener('abort', () => {
    settle.reject(new BeeperApiError({ kind: 'cancelled', message: 'Sign-in cancelled.' }));
    close();
  });
  // Closing the listener when the sign-in ends either way; the outcome reaches the caller through `code`.
  void code.finally(close).catch(() => undefined);
  return { redirectUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, code, close };
}

export async function registerClient(endpoints: OAuthEndpoints, redirectUri: string, signal?: AbortSignal): Promise<string> {
  const body = await jsonRequest(
    'POST',
    endpoints.registration_endpoint,
    { client_name: 'Beeper for VS Code', redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none' },
    signal,
  );
  const clientId = body.client_id;
  if (typeof clientId !== 'string') throw badAnswer('client registration');
  return clientId;
}

/** The approval page to open in the browser; only ever an http(s) URL. */
export function authorizeUrl(endpoints: OAuthEndpoints, clientId: string, redirectUri: string, pkce: Pkce, state: string): string {
  const url = new URL(endpoints.authorization_endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badAnswer('sign-in discovery');
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', 'read write');
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', pkce.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

export async function exchangeCode(endpoints: OAuthEndpoints, clientId: string, redirectUri: string, code: string, pkce: Pkce, signal?: AbortSignal): Promise<TokenResult> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: pkce.verifier });
  const body = await formRequest(endpoints.token_endpoint, form, signal);
  if (typeof body.access_token !== 'string') throw badAnswer('token exchange');
  return {
    accessToken: body.access_token,
    expiresAt: typeof body.expires_in === 'number' ? Date.now() + body.expires_in * 1000 : undefined,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
  };
}

/** Revokes a token at its server; the endpoint must be on `baseUrl`'s origin (or this computer). */
export async function revokeToken(endpoints: Pick<OAuthEndpoints, 'revocation_endpoint'>, token: string, baseUrl: string, signal?: AbortSignal): Promise<void> {
  if (!endpoints.revocation_endpoint) return;
  if (!endpointAllowed(endpoints.revocation_endpoint, new URL(baseUrl).origin)) {
    throw new BeeperApiError({ kind: 'badResponse', message: 'The revocation address is not on the Beeper Desktop the token belongs to; the token was not sent there.' });
  }
  await formRequest(endpoints.revocation_endpoint, new URLSearchParams({ token, token_type_hint: 'access_token' }), signal);
}

export function randomState(): string {
  return randomBytes(16).toString('base64url');
}

function badAnswer(what: string): BeeperApiError {
  return new BeeperApiError({ kind: 'badResponse', message: `Beeper Desktop answered the ${what} in a way this extension cannot read.`, hint: 'Paste an access token instead.' });
}

async function jsonRequest(method: 'GET' | 'POST', url: string, body: unknown, signal?: AbortSignal): Promise<Record<string, unknown>> {
  return oauthRequest(method, url, body === undefined ? undefined : { type: 'application/json', text: JSON.stringify(body) }, signal);
}

async function formRequest(url: string, form: URLSearchParams, signal?: AbortSignal): Promise<Record<string, unknown>> {
  return oauthRequest('POST', url, { type: 'application/x-www-form-urlencoded', text: form.toString() }, signal);
}

/** One request to an OAuth endpoint: bounded to 15 s and 16 MB, cancellable, its answer read as a JSON object. */
async function oauthRequest(method: 'GET' | 'POST', url: string, body: { type: string; text: string } | undefined, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const timeout = AbortSignal.timeout(15_000);
  const res = await request(url, {
    method,
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    headers: body ? { accept: 'application/json', 'content-type': body.type } : { accept: 'application/json' },
    body: body?.text,
  });
  return readOAuthBody(res.statusCode, await readCapped(res.body, res.headers['content-length'], MAX_RESPONSE_BYTES, `${method} ${new URL(url).pathname}`));
}

/** An OAuth answer as a JSON object; null, an array, a number or a string is a typed error. */
export function readOAuthBody(status: number, text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw badAnswer('sign-in request');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw badAnswer('sign-in request');
  const o = json as Record<string, unknown>;
  if (status >= 400) {
    const said = [o.error_description, o.message, o.error].find((v): v is string => typeof v === 'string');
    throw new BeeperApiError({ kind: 'unauthorized', status, message: `Beeper Desktop refused the sign-in${said ? `: ${said}` : ''}.`, hint: 'Try again, or paste an access token.' });
  }
  return o;
}
