// Runs inside the VS Code extension host (the `vscode` module is real): every
// test/integration/*.test.js with mocha, then reports the counts to the outer runner.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 30_000, color: false, reporter: 'spec' });
  const grep = process.env.BEEPER_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b))) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    const runner = mocha.run((failures) => {
      const results = process.env.BEEPER_TEST_RESULTS;
      if (results) fs.writeFileSync(results, JSON.stringify({ passed, failed }));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
      else resolve();
    });
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
  });
}
