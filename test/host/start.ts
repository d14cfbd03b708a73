// `npm start`: the extension on the embedded default, no account needed. Starts the sandbox
// Beeper Desktop (port 23373, or a free one), then opens VS Code with the extension under
// development pointed at it: desktop VS Code when `code` is on the PATH, otherwise the bundled
// code-server, whose URL is printed. Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox } from '../sandbox/server';
import { launchBrowser, ROOT, startCodeServer } from './codeServer';
import { writeDemoWorkspace } from './demoWorkspace';

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function main() {
  // A living demo: every 45 s someone writes in one of the newest chats (live updates, notifications).
  const options = { autoScanMs: 8_000, chatterMs: 45_000 };
  const sandbox = await startSandbox({ port: 23373, ...options }).catch(() => startSandbox(options));
  const env = { BEEPER_DESKTOP_BASE_URL: sandbox.url, BEEPER_ACCESS_TOKEN: sandbox.token };
  console.log(`Sandbox Beeper Desktop API: ${sandbox.url} (sandbox token ${sandbox.token}; it opens nothing real)`);

  // A demo folder outside the repository, so VS Code does not offer to open the parent git repo.
  const demo = path.join(os.tmpdir(), 'beeper-vscode-demo');
  fs.mkdirSync(demo, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'test/host/demo/README.md'), path.join(demo, 'README.md'));
  // A small project the sandbox's code chat talks about (code links, Send Link to Selection…).
  writeDemoWorkspace(demo, { git: true });

  if (onPath('code') && !process.env.BEEPER_START_CODE_SERVER) {
    console.log('Opening desktop VS Code with the extension under development…');
    const code = spawn('code', ['--new-window', `--extensionDevelopmentPath=${ROOT}`, '--wait', demo], { env: { ...process.env, ...env }, stdio: 'inherit' });
    code.on('exit', () => void sandbox.close().then(() => process.exit(0)));
    return;
  }

  const install = spawnSync('bash', [path.join(ROOT, 'test/host/install-code-server.sh')], { stdio: 'inherit' });
  if (install.status !== 0) process.exit(1);
  // The extension is linked into code-server's extensions folder: edits + `npm run build` + reload.
  const extensionsDir = fs.mkdtempSync(path.join(ROOT, '.vscode-test', 'start-extensions-'));
  fs.symlinkSync(ROOT, path.join(extensionsDir, `beeper-vscode.beeper-vscode-${(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}`));
  const server = await startCodeServer({
    extensionsDir,
    env,
    settings: { 'workbench.startupEditor': 'readme', 'git.openRepositoryInParentFolders': 'never', 'chat.disableAIFeatures': false },
  });
  const url = `http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(demo)}`;
  console.log('');
  console.log(`VS Code (code-server) with Beeper for VS Code: ${url}`);
  console.log('Open it in a browser and click the Beeper icon in the activity bar. Ctrl-C stops.');
  const stop = async () => {
    await server.stop();
    await sandbox.close();
    fs.rmSync(extensionsDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // A headless smoke check for CI-like runs: BEEPER_START_SMOKE=1 exits once the page renders.
  if (process.env.BEEPER_START_SMOKE) {
    const browser = await launchBrowser(server.runDir);
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(url);
    await page.locator('.activitybar [aria-label^="Beeper"]').first().click({ timeout: 120_000 });
    await page.locator('.monaco-list-row', { hasText: 'WhatsApp' }).first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(server.runDir, 'start.png') });
    console.log(`start: the Beeper view rendered; screenshot ${path.join(server.runDir, 'start.png')}`);
    await browser.close();
    await stop();
  }
}

void main().catch((e) => {
  console.error(`start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
