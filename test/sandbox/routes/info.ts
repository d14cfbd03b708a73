// GET /v1/info: discovery, as Beeper Desktop answers it (no token needed).
import type { Router } from '../http';

export const SANDBOX_VERSION = '4.2.900-sandbox';

export function infoRoutes(r: Router, port: () => number, mcpEnabled: () => boolean): void {
  r.add('GET', '/v1/info', () => {
    const base = `http://127.0.0.1:${port()}`;
    return {
      app: { name: 'Beeper Desktop (sandbox)', version: SANDBOX_VERSION, bundle_id: 'com.automattic.beeper.desktop.sandbox' },
      platform: { os: process.platform, arch: process.arch, release: process.release.name },
      server: { status: 'running', base_url: base, port: port(), hostname: '127.0.0.1', remote_access: false, mcp_enabled: mcpEnabled() },
      endpoints: {
        oauth: {
          authorization_endpoint: `${base}/oauth/authorize`,
          token_endpoint: `${base}/oauth/token`,
          introspection_endpoint: `${base}/oauth/introspect`,
          userinfo_endpoint: `${base}/oauth/userinfo`,
          revocation_endpoint: `${base}/oauth/revoke`,
          registration_endpoint: `${base}/oauth/register`,
        },
        spec: `${base}/v1/spec`,
        mcp: `${base}/v0/mcp`,
        ws_events: `ws://127.0.0.1:${port()}/v1/ws`,
      },
    };
  });
}
