// Driving the sandbox's `/_sandbox/*` control routes from tests, benchmarks and `npm start`:
// with the admin secret, JSON as application/json. undici's request, not the global fetch (in an
// extension host, VS Code patches fetch with its proxy agent, which loads the system certificates
// on first use and blocks the event loop while it does).
import { request } from 'undici';

export const ADMIN_HEADER = 'x-sandbox-admin';

export interface SandboxAddress {
  url: string;
  adminSecret: string;
}

/** The answer's JSON; throws with the status when the route refused. */
export async function control<T = Record<string, unknown>>(sandbox: SandboxAddress, method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(`${sandbox.url}${path}`, {
    method: method as 'GET',
    headers: { [ADMIN_HEADER]: sandbox.adminSecret, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  if (res.statusCode >= 400) throw new Error(`sandbox ${method} ${path} answered ${res.statusCode}: ${text.slice(0, 200)}`);
  return (text ? JSON.parse(text) : {}) as T;
}
