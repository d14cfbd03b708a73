// Which WebSocket (and MCP) address the token may be sent to: the one Beeper Desktop names in
// `endpoints.ws_events`, else `/v1/ws` on the base URL, and only on the base URL's own host and
// port (loopback names count as one host). No vscode import.
import { isLoopbackUrl } from '../api/transport';

export type SocketUrl = { ok: true; url: string } | { ok: false; reason: string };

export function socketUrl(wsEvents: string | undefined, baseUrl: string): SocketUrl {
  return endpointUrl(wsEvents, baseUrl, { field: 'endpoints.ws_events', path: '/v1/ws', plain: 'ws:', secure: 'wss:' });
}

/**
 * Which MCP address the token may be sent to: `endpoints.mcp` from /v1/info, else `/v0/mcp` on
 * the base URL; http(s) only, encrypted when the base URL is, and on the base URL's own server.
 */
export function mcpUrl(mcp: string | undefined, baseUrl: string): SocketUrl {
  return endpointUrl(mcp, baseUrl, { field: 'endpoints.mcp', path: '/v0/mcp', plain: 'http:', secure: 'https:' });
}

/** An endpoint Desktop names (or the usual path): its scheme, encryption, no credentials, same server. */
function endpointUrl(value: string | undefined, baseUrl: string, kind: { field: string; path: string; plain: string; secure: string }): SocketUrl {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    // Said in the result: the caller logs the reason and polls instead.
    return { ok: false, reason: 'the base URL is not valid' };
  }
  if (!value) {
    const fallback = new URL(kind.path, base);
    fallback.protocol = base.protocol === 'https:' ? kind.secure : kind.plain;
    return { ok: true, url: fallback.href };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Said in the result: the caller logs the reason and polls instead.
    return { ok: false, reason: `${kind.field} is not a URL` };
  }
  if (url.protocol !== kind.plain && url.protocol !== kind.secure) return { ok: false, reason: `${kind.field} uses ${url.protocol.slice(0, 20)}` };
  if (base.protocol === 'https:' && url.protocol !== kind.secure) return { ok: false, reason: `${kind.field} is not encrypted while the base URL is` };
  if (url.username || url.password) return { ok: false, reason: `${kind.field} carries credentials` };
  if (!sameServer(url, base)) return { ok: false, reason: `${kind.field} points at ${url.host.slice(0, 100)}, not at ${base.host}` };
  return { ok: true, url: url.href };
}

/** Same host (loopback names count as one) and same port. */
function sameServer(url: URL, base: URL): boolean {
  const secure = (u: URL) => u.protocol === 'https:' || u.protocol === 'wss:';
  const port = (u: URL) => u.port || (secure(u) ? '443' : '80');
  const httpTwin = `${secure(url) ? 'https' : 'http'}://${url.host}/`;
  const sameHost = url.hostname === base.hostname || (isLoopbackUrl(httpTwin) && isLoopbackUrl(base.href));
  return sameHost && port(url) === port(base);
}
