// The live-updates WebSocket: undici's, from the extension host (browsers cannot send the
// Authorization header), with a cap on the size of one message after permessage-deflate has
// inflated it. Without the cap, 64 KB on the wire can inflate to hundreds of megabytes before any
// check of ours sees the frame. No vscode import.
import { Agent, WebSocket } from 'undici';
import { MAX_FRAME_CHARS } from './frames';
import type { SocketLike } from './liveUpdates';

/** The largest message the socket accepts, in bytes, compressed or inflated (undici closes with 1009 past it). */
export const MAX_SOCKET_MESSAGE_BYTES = MAX_FRAME_CHARS;

let agent: Agent | undefined;

export function openSocket(url: string, headers: Record<string, string>): SocketLike {
  agent ??= new Agent({ webSocket: { maxPayloadSize: MAX_SOCKET_MESSAGE_BYTES, maxFragments: 1024 } });
  return new WebSocket(url, { headers, dispatcher: agent }) as unknown as SocketLike;
}
