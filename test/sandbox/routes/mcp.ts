// Beeper Desktop's MCP server, as far as an MCP client's first minute needs it: the
// streamable-HTTP transport (POST JSON-RPC, JSON answers, `Mcp-Session-Id`), `initialize`,
// `notifications/initialized`, `ping`, `tools/list` with one tool and `tools/call` for it. It sits
// behind the same Bearer token as the API (server.ts checks it) and answers 404 while the MCP
// server is turned off in Desktop's settings (`server.mcp_enabled` in /v1/info).
import { randomBytes } from 'node:crypto';
import { HttpError, type Ctx, type Router } from '../http';
import { SANDBOX_VERSION } from './info';
import type { SandboxState } from '../state';

const PROTOCOL_VERSIONS = ['2025-06-18', '2025-03-26', '2024-11-05'];
const MAX_SESSIONS = 50;

const TOOL = {
  name: 'get_accounts',
  description: 'List the chat accounts connected to Beeper Desktop, with their network and status.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  annotations: { title: 'Get accounts', readOnlyHint: true },
};

interface RpcRequest {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

export function mcpRoutes(r: Router, s: SandboxState): void {
  const enabled = () => {
    if (!s.mcpEnabled) throw new HttpError(404, 'MCP_DISABLED', 'The MCP server is turned off in Beeper Desktop (Settings → Developers).');
  };

  r.add('POST', '/v0/mcp', (ctx) => {
    enabled();
    const accept = String(ctx.req.headers.accept ?? '');
    if (!accept.includes('application/json') && !accept.includes('*/*')) throw new HttpError(406, 'NOT_ACCEPTABLE', 'The client must accept application/json.');
    const body = ctx.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return rpcReply(ctx, 400, rpcError(null, -32600, 'Expected one JSON-RPC message.'));
    const msg = body as RpcRequest;
    if (msg.jsonrpc !== '2.0' || typeof msg.method !== 'string') {
      // A response or notification from the client, or garbage.
      if (msg.jsonrpc === '2.0' && msg.method === undefined) return accepted(ctx);
      return rpcReply(ctx, 400, rpcError(msg.id ?? null, -32600, 'Not a JSON-RPC 2.0 request.'));
    }
    if (msg.id === undefined) return accepted(ctx); // notifications/initialized and others
    if (msg.method === 'initialize') {
      const requested = (msg.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      const protocolVersion = typeof requested === 'string' && PROTOCOL_VERSIONS.includes(requested) ? requested : PROTOCOL_VERSIONS[0];
      const session = randomBytes(16).toString('hex');
      s.mcpSessions.add(session);
      for (const old of s.mcpSessions) {
        if (s.mcpSessions.size <= MAX_SESSIONS) break;
        s.mcpSessions.delete(old);
      }
      ctx.res.setHeader('mcp-session-id', session);
      return rpcReply(ctx, 200, {
        jsonrpc: '2.0',
        id: msg.id,
        result: {
          protocolVersion,
          capabilities: { tools: { listChanged: false } },
          serverInfo: { name: 'Beeper Desktop (sandbox)', version: SANDBOX_VERSION },
          instructions: 'Beeper Desktop sandbox: a minimal MCP server with one tool.',
        },
      });
    }
    const session = ctx.req.headers['mcp-session-id'];
    if (typeof session !== 'string') return rpcReply(ctx, 400, rpcError(msg.id, -32000, 'Bad Request: no Mcp-Session-Id header (send initialize first).'));
    if (!s.mcpSessions.has(session)) return rpcReply(ctx, 404, rpcError(msg.id, -32001, 'Session not found.'));
    switch (msg.method) {
      case 'ping':
        return rpcReply(ctx, 200, { jsonrpc: '2.0', id: msg.id, result: {} });
      case 'tools/list':
        return rpcReply(ctx, 200, { jsonrpc: '2.0', id: msg.id, result: { tools: [TOOL] } });
      case 'tools/call': {
        const name = (msg.params as { name?: unknown } | undefined)?.name;
        if (name !== TOOL.name) return rpcReply(ctx, 200, rpcError(msg.id, -32602, `Unknown tool: ${String(name).slice(0, 100)}`));
        const lines = s.world.accounts.map((a) => `${a.accountID} (${a.network ?? a.bridge?.type ?? 'unknown'}): ${a.status ?? 'unknown'}`);
        return rpcReply(ctx, 200, { jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: lines.join('\n') }], isError: false } });
      }
      default:
        return rpcReply(ctx, 200, rpcError(msg.id, -32601, `Method not found: ${msg.method.slice(0, 100)}`));
    }
  });

  // No server-initiated stream: GET is not allowed, as the transport permits.
  r.add('GET', '/v0/mcp', (ctx) => {
    enabled();
    ctx.res.writeHead(405, { allow: 'POST, DELETE' });
    ctx.res.end();
  });

  r.add('DELETE', '/v0/mcp', (ctx) => {
    enabled();
    const session = ctx.req.headers['mcp-session-id'];
    if (typeof session !== 'string' || !s.mcpSessions.delete(session)) throw new HttpError(404, 'SESSION_NOT_FOUND', 'Session not found.');
    return { ok: true };
  });
}

function rpcError(id: unknown, code: number, message: string) {
  return { jsonrpc: '2.0', id: id ?? null, error: { code, message } };
}

function rpcReply(ctx: Ctx, status: number, body: unknown): undefined {
  ctx.res.writeHead(status, { 'content-type': 'application/json' });
  ctx.res.end(JSON.stringify(body));
  return undefined;
}

function accepted(ctx: Ctx): undefined {
  ctx.res.writeHead(202);
  ctx.res.end();
  return undefined;
}
