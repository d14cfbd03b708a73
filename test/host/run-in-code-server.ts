// The VS Code "executable" that @vscode/test-electron's runTests spawns here (through
// code-shim.sh): it turns --extensionDevelopmentPath / --extensionTestsPath into a code-server
// run whose workbench loads the extension under development and runs the tests in its real
// extension host. The exit code is the tests' (0 = all passed).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { launchBrowser, startCodeServer } from './codeServer';
import { writeDemoWorkspace } from './demoWorkspace';

const NOISE = /\[(AgentHost|ChatModelSelection|AccountPolicyGate)|socket|connection token|open-vsx|grace time|builtin extensions cache|Service Worker|^\s+at /;

export async function runInCodeServer(devPath: string, testsPath: string): Promise<number> {
  let server: Awaited<ReturnType<typeof startCodeServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    // Without the smoke-test driver option a built workbench ignores the test payload.
    // BEEPER_HOST_SETTINGS: user settings of the caller's (the benchmark's), as JSON.
    const settings = process.env.BEEPER_HOST_SETTINGS ? (JSON.parse(process.env.BEEPER_HOST_SETTINGS) as Record<string, unknown>) : undefined;
    server = await startCodeServer({ extraArgs: ['--vscode-option', 'enable-smoke-test-driver'], settings });
    browser = await launchBrowser(server.runDir);
    const page = browser.pages()[0] ?? (await browser.newPage());
    if (process.env.BEEPER_DEBUG_CONSOLE) page.on('console', (m) => m.type() === 'error' && console.log(`[page] ${m.text()}`));
    const exited = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => {
      const text = util.format(...((Array.isArray(args) ? args : [args]) as unknown[]));
      if (process.env.BEEPER_BENCH_MARKS) fs.appendFileSync(process.env.BEEPER_BENCH_MARKS, `log ${Date.now() / 1000} ${text.split('\n')[0]}\n`);
      if (process.env.VERBOSE) return console.log(text);
      // Failures span several lines (title, message, stack): keep all but the stack frames.
      const lines = text.split('\n').filter((line) => !/^\s+at /.test(line));
      if (!NOISE.test(lines[0] ?? '')) console.log(lines.join('\n'));
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server!.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(devPath)],
      ['extensionTestsPath', remote(testsPath)],
      ['skipWelcome', 'true'],
    ];
    // The deterministic language model the chat participant's tests talk to, installed as a
    // normal extension (a second extension under development is not loaded by code-server).
    fs.symlinkSync(path.join(devPath, 'test', 'fixtures', 'test-model'), path.join(server.runDir, 'extensions', 'beeper-test.test-model-0.0.1'));
    const folder = path.join(server.runDir, 'workspace');
    writeDemoWorkspace(folder, { git: true });
    // BEEPER_RENDERER_PROFILE=file: a CPU profile of the workbench page's process (bench diagnosis).
    const cdp = process.env.BEEPER_RENDERER_PROFILE ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    await page.goto(`http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const limitMs = Number(process.env.BEEPER_HOST_TIMEOUT_MS ?? 600_000);
    const code = await Promise.race([
      exited,
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`no result from the extension host within ${limitMs / 1000} s`)), limitMs)),
    ]);
    if (cdp) fs.writeFileSync(process.env.BEEPER_RENDERER_PROFILE!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    return code;
  } catch (e) {
    console.error(`host: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const dev = value('extensionDevelopmentPath');
  let tests = value('extensionTestsPath');
  if (!dev || !tests) {
    console.error('usage: --extensionDevelopmentPath=DIR --extensionTestsPath=FILE');
    process.exit(2);
  }
  if (!tests.endsWith('.js')) tests = path.join(tests, 'index.js');
  void runInCodeServer(path.resolve(dev), path.resolve(tests)).then((code) => process.exit(code));
}
