// `npm test` after type checking: unit tests (node's test runner, no VS Code), integration tests
// in a real VS Code extension host, then the browser end-to-end test of the packaged .vsix.
// Installs the host into .vscode-test/ when missing.
// Ends with one line "tests: N passed, N failed" and a non-zero exit code on any failure.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './host/codeServer';
import { runE2e } from './e2e/e2e';
import { runIntegration } from './host/run-integration';

function runUnit(): { passed: number; failed: number } {
  const tap = path.join(ROOT, 'out', 'unit.tap');
  const result = spawnSync(
    process.execPath,
    // Not --test-force-exit: it ends the run before the TAP reporter writes its totals. Test files
    // dispose what they start in after hooks; the timeout is the last guard against a hang.
    ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, 'out/test/unit/'],
    { cwd: ROOT, stdio: 'inherit', timeout: 15 * 60_000 },
  );
  if (result.error) console.error(`unit: ${result.error.message}`);
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  const failed = count('fail') + count('cancelled');
  return { passed: count('pass'), failed: failed || (result.status === 0 ? 0 : 1) };
}

async function main() {
  const started = Date.now();
  console.log('== unit tests');
  const unit = runUnit();
  console.log(`unit: ${unit.passed} passed, ${unit.failed} failed`);

  console.log('== integration tests (real VS Code extension host)');
  const install = spawnSync('bash', [path.join(ROOT, 'test/host/install-code-server.sh')], { cwd: ROOT, stdio: 'inherit' });
  let integration = { passed: 0, failed: 1, exitCode: 1 };
  if (install.status === 0) integration = await runIntegration();
  else console.error('integration: could not install the VS Code host (see above)');
  console.log(`integration: ${integration.passed} passed, ${integration.failed} failed`);

  console.log('== browser end-to-end (the packaged .vsix in code-server)');
  let e2e = { passed: 0, failed: 1 };
  if (install.status === 0) e2e = await runE2e().catch((e: unknown) => (console.error(`e2e: ${String(e)}`), { passed: 0, failed: 1 }));
  console.log(`e2e: ${e2e.passed} passed, ${e2e.failed} failed`);

  const passed = unit.passed + integration.passed + e2e.passed;
  const failed = unit.failed + integration.failed + e2e.failed;
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`tests: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || integration.exitCode !== 0 ? 1 : 0);
}

void main();
