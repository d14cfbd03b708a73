// Where the stored token may be sent. A token is bound to the origin it was entered or issued
// for; another origin that is not this computer needs the user's yes first, and plain http to
// another computer always does. No vscode import: the rules are unit-tested on their own.
import { isLoopbackUrl } from '../api/transport';

export interface OriginInput {
  /** The address requests would go to. */
  baseUrl: string;
  /**
   * Where that address came from. The environment is not trusted more than the setting: in a dev
   * container or Codespace the repository sets it.
   */
  baseUrlSource: 'environment' | 'setting' | 'default';
  /** Which token would be sent. */
  tokenSource: 'environment' | 'stored' | 'none';
  /** The origin the stored token was entered or issued for (absent for tokens stored before 0.2). */
  boundOrigin?: string;
  /** Origins the user has agreed to send the stored token to. */
  approved: readonly string[];
}

export type OriginDecision = { send: true } | { send: false; origin: string; host: string; insecure: boolean; boundOrigin?: string };

export function originOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

/** True for plain http to a host that is not this computer: the token would travel in the clear. */
export function isInsecureRemote(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).protocol === 'http:' && !isLoopbackUrl(baseUrl);
  } catch {
    // Not a URL: the address check reports it elsewhere.
    return false;
  }
}

export function decideOrigin(input: OriginInput): OriginDecision {
  // A token from the environment came with its address; no token, nothing to protect.
  if (input.tokenSource !== 'stored') return { send: true };
  const url = new URL(input.baseUrl);
  const origin = url.origin;
  if (isLoopbackUrl(input.baseUrl)) return { send: true };
  if (input.approved.includes(origin)) return { send: true };
  const insecure = url.protocol === 'http:';
  if (!insecure && input.boundOrigin === origin) return { send: true };
  return { send: false, origin, host: url.host, insecure, boundOrigin: input.boundOrigin };
}
