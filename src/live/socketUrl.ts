// Which WebSocket (and MCP) address the token may be sent to: the one Beeper Desktop names in
// `endpoints.ws_events`, else `/v1/ws` on the base URL, and only on the base URL's own host and
// port (loopback names count as one host). No vscode import.
import { isLoopbackUrl } from '../api/transport';

export type SocketUrl = { ok: true; url: string } | { ok: false; reason: string };

export function socketUrl(wsEvents: string | undefined, baseUrl: string): SocketUrl {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return { ok: false, reason: 'the base URL is not valid' };
  }
  const fallback = new URL('/v1/ws', base);
  fallback.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  if (!wsEvents) return { ok: true, url: fallback.href };
  let url: URL;
  try {
    url = new URL(wsEvents);
  } catch {
    return { ok: false, reason: 'endpoints.ws_events is not a URL' };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return { ok: false, reason: `endpoints.ws_events uses ${url.protocol.slice(0, 20)}` };
  if (base.protocol === 'https:' && url.protocol !== 'wss:') return { ok: false, reason: 'endpoints.ws_events is not encrypted while the base URL is' };
  if (!sameServer(url, base)) return { ok: false, reason: `endpoints.ws_events points at ${url.host.slice(0, 100)}, not at ${base.host}` };
  return { ok: true, url: url.href };
}

/**
 * Which MCP address the token may be sent to: `endpoints.mcp` from /v1/info, else `/v0/mcp` on
 * the base URL; http(s) only, encrypted when the base URL is, and on the base URL's own server.
 */
export function mcpUrl(mcp: string | undefined, baseUrl: string): SocketUrl {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return { ok: false, reason: 'the base URL is not valid' };
  }
  if (!mcp) return { ok: true, url: new URL('/v0/mcp', base).href };
  let url: URL;
  try {
    url = new URL(mcp);
  } catch {
    return { ok: false, reason: 'endpoints.mcp is not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `endpoints.mcp uses ${url.protocol.slice(0, 20)}` };
  if (base.protocol === 'https:' && url.protocol !== 'https:') return { ok: false, reason: 'endpoints.mcp is not encrypted while the base URL is' };
  if (url.username || url.password) return { ok: false, reason: 'endpoints.mcp carries credentials' };
  if (!sameServer(url, base)) return { ok: false, reason: `endpoints.mcp points at ${url.host.slice(0, 100)}, not at ${base.host}` };
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
