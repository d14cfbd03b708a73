// The experimental WebSocket at /v1/ws, as the official spec describes it: Bearer token in the
// upgrade, `ready` first, `subscriptions.set` → `subscriptions.updated`, then domain events
// numbered per connection. At-most-once, no replay. Faults on `GET /v1/ws` refuse the upgrade.
import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DomainEvent, FaultRule, SandboxState } from './state';

export interface SocketHub {
  count(): number;
  dropAll(): number;
  /** Sends raw text to every socket (tests: malformed and unknown frames). */
  sendRaw(text: string): number;
  close(): void;
}

interface Client {
  socket: WebSocket;
  seq: number;
  chatIDs: Set<string> | 'all';
}

export function attachSocketServer(server: http.Server, s: SandboxState, matchFault: (method: string, path: string, query?: URLSearchParams) => FaultRule | undefined): SocketHub {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const clients = new Set<Client>();

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refuse = (status: number, code: string, message: string) => {
      const body = JSON.stringify({ code, message });
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    };
    if (url.pathname !== '/v1/ws') return refuse(404, 'NOT_FOUND', `Cannot GET ${url.pathname}`);
    s.requests['GET /v1/ws'] = (s.requests['GET /v1/ws'] ?? 0) + 1;
    s.total++;
    const fault = matchFault('GET', url.pathname, url.searchParams);
    if (fault?.close) return void socket.destroy();
    if (fault?.status) return refuse(fault.status, 'SANDBOX_FAULT', fault.message ?? `Sandbox fault: HTTP ${fault.status}`);
    const bearer = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!s.tokenValid(bearer)) return refuse(401, 'UNAUTHORIZED', 'Access token is missing or invalid.');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = { socket: ws, seq: 0, chatIDs: new Set() };
      clients.add(client);
      ws.on('close', () => clients.delete(client));
      ws.on('error', () => clients.delete(client));
      ws.on('message', (data: Buffer) => onCommand(client, data.toString('utf8')));
      ws.send(JSON.stringify({ type: 'ready', version: 1, chatIDs: [] }));
    });
  });

  function onCommand(client: Client, raw: string) {
    let command: { type?: unknown; requestID?: unknown; chatIDs?: unknown };
    try {
      command = JSON.parse(raw) as typeof command;
    } catch {
      return error(client, undefined, 'INVALID_PAYLOAD', 'The command is not valid JSON.');
    }
    const requestID = typeof command.requestID === 'string' ? command.requestID : undefined;
    if (command.type !== 'subscriptions.set') return error(client, requestID, 'INVALID_COMMAND', `Unknown command ${JSON.stringify(command.type)}.`);
    const ids = command.chatIDs;
    if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string')) return error(client, requestID, 'INVALID_PAYLOAD', 'chatIDs must be a list of strings.');
    if (ids.includes('*') && ids.length > 1) return error(client, requestID, 'INVALID_PAYLOAD', '"*" cannot be combined with specific chat IDs.');
    client.chatIDs = ids.includes('*') ? 'all' : new Set(ids);
    client.socket.send(JSON.stringify({ type: 'subscriptions.updated', ...(requestID ? { requestID } : {}), chatIDs: ids }));
  }

  function error(client: Client, requestID: string | undefined, code: string, message: string) {
    client.socket.send(JSON.stringify({ type: 'error', ...(requestID ? { requestID } : {}), code, message }));
  }

  const unsubscribe = s.onEvent((event: DomainEvent) => {
    for (const client of clients) {
      if (client.chatIDs !== 'all' && !client.chatIDs.has(event.chatID)) continue;
      client.socket.send(JSON.stringify({ type: event.type, seq: client.seq++, ts: event.ts, chatID: event.chatID, ids: event.ids, ...(event.entries ? { entries: event.entries } : {}) }));
    }
  });

  return {
    count: () => clients.size,
    dropAll: () => {
      const n = clients.size;
      for (const c of clients) c.socket.close(1012, 'Service restart');
      clients.clear();
      return n;
    },
    sendRaw: (text) => {
      for (const c of clients) c.socket.send(text);
      return clients.size;
    },
    close: () => {
      unsubscribe();
      for (const c of clients) c.socket.terminate();
      clients.clear();
      wss.close();
    },
  };
}
