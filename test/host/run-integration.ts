// Integration tests in a real VS Code extension host, through @vscode/test-electron's runTests.
// Starts the sandbox, points the extension at it with BEEPER_DESKTOP_BASE_URL and
// BEEPER_ACCESS_TOKEN, and runs test/integration in the host. Desktop VS Code is used when
// BEEPER_TEST_DESKTOP=1 (runTests downloads it); otherwise code-server, which works offline.
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox } from '../sandbox/server';
import { ROOT } from './codeServer';

export interface IntegrationResult {
  passed: number;
  failed: number;
  exitCode: number;
}

/**
 * Runs a test module (compiled, under out/) in the real extension host with the extension under
 * development: code-server through code-shim.sh, or desktop VS Code with BEEPER_TEST_DESKTOP=1.
 */
export async function runHostTests(testsModule: string, env: Record<string, string>): Promise<void> {
  await runTests({
    // The extension, and the deterministic language model its chat participant's tests use.
    extensionDevelopmentPath: [ROOT, path.join(ROOT, 'test', 'fixtures', 'test-model')],
    extensionTestsPath: path.join(ROOT, testsModule),
    vscodeExecutablePath: process.env.BEEPER_TEST_DESKTOP ? undefined : path.join(ROOT, 'test/host/code-shim.sh'),
    launchArgs: ['--disable-extensions'],
    extensionTestsEnv: env,
  });
}

export async function runIntegration(): Promise<IntegrationResult> {
  const sandbox = await startSandbox({ qrRefreshMs: 3_000 });
  const resultsFile = path.join(ROOT, 'out', 'integration-results.json');
  fs.rmSync(resultsFile, { force: true });
  let exitCode = 0;
  try {
    await runHostTests('out/test/integration/index.js', {
      BEEPER_DESKTOP_BASE_URL: sandbox.url,
      BEEPER_ACCESS_TOKEN: sandbox.token,
      BEEPER_SANDBOX_URL: sandbox.url,
      BEEPER_SANDBOX_ADMIN: sandbox.adminSecret,
      BEEPER_TEST_RESULTS: resultsFile,
    });
  } catch (e) {
    exitCode = 1;
    console.error(`integration: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await sandbox.close();
  }
  let counts = { passed: 0, failed: 0 };
  try {
    counts = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as typeof counts;
  } catch {
    // The host never reported: count the run as one failure.
    counts = { passed: 0, failed: 1 };
  }
  return { ...counts, exitCode: exitCode || (counts.failed > 0 ? 1 : 0) };
}

if (require.main === module) {
  void runIntegration().then((r) => {
    console.log(`integration: ${r.passed} passed, ${r.failed} failed`);
    process.exit(r.exitCode);
  });
}
