// The layers are enforced by ESLint, not by file headers: a fixture file with a forbidden import
// is written into each layer, linted through ESLint's API with the project's own config, and the
// rule must fire. A clean fixture must pass, so the test also fails when the rule fires on everything.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '..', '..', '..');

async function lintFixture(folder: string, source: string): Promise<string[]> {
  const file = path.join(ROOT, 'src', folder, `__layerFixture${process.pid}.ts`);
  fs.writeFileSync(file, source);
  try {
    const eslint = new ESLint({ cwd: ROOT });
    const [result] = await eslint.lintFiles([file]);
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

describe('layers (ESLint no-restricted-imports)', () => {
  it('a vscode import in src/model fails lint', async () => {
    const messages = await lintFixture('model', "import * as vscode from 'vscode';\nexport const x = vscode.version;\n");
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /vscode-free/);
  });

  it('src/model importing a view (the tree, a panel) fails lint', async () => {
    const messages = await lintFixture('model', "import type { BeeperTreeProvider } from '../tree/provider';\nimport type { ChatPanels } from '../webviews/chatPanels';\nexport type X = [BeeperTreeProvider, ChatPanels];\n");
    assert.equal(messages.length, 2);
    assert.match(messages[0]!, /never import a view/);
  });

  it('src/api importing the model, and src/text importing anything of the project, fail lint', async () => {
    assert.equal((await lintFixture('api', "import type { BeeperModel } from '../model/model';\nexport type X = BeeperModel;\n")).length, 1);
    assert.equal((await lintFixture('text', "import type { BeeperModel } from '../model/model';\nexport type X = BeeperModel;\n")).length, 1);
    assert.deepEqual(await lintFixture('text', "import type { Chat } from '../api/types';\nexport type X = Chat;\n"), [], 'the API types are allowed');
  });

  it('a page importing a host module fails lint; its protocol and pure modules pass', async () => {
    assert.equal((await lintFixture('webview-ui', "import type { ChatPanels } from '../webviews/chatPanels';\nexport type X = ChatPanels;\n")).length, 1);
    assert.deepEqual(await lintFixture('webview-ui', "import type { ChatPageRequest } from '../webviews/protocol';\nimport { initials } from '../text/format';\nexport type X = ChatPageRequest;\nexport const y = initials('A B');\n"), []);
  });

  it('a command reading the tree provider fails lint; the model passes', async () => {
    assert.equal((await lintFixture('commands', "import type { BeeperTreeProvider } from '../tree/provider';\nexport type X = BeeperTreeProvider;\n")).length, 1);
    assert.deepEqual(await lintFixture('commands', "import type { BeeperModel } from '../model/model';\nexport type X = BeeperModel;\n"), []);
  });
});

describe('one error style', () => {
  it('every error notification starts with "Beeper:" and says what could not be done, and why, in one sentence shape', () => {
    const root = path.resolve(__dirname, '..', '..', '..', 'src');
    const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const found: string[] = [];
    for (const f of files) {
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      for (const m of text.matchAll(/showErrorMessage\(\s*vscode\.l10n\.t\(\s*'([^']*)'/g)) found.push(`${f}: ${m[1]}`);
    }
    assert.ok(found.length >= 10, `found ${found.length}`);
    for (const line of found) {
      const message = line.slice(line.indexOf(': ') + 2);
      assert.match(message, /^Beeper: /, line);
      if (/^Beeper: could not /.test(message)) assert.match(message, /, because: /, `${line}: says why`);
    }
  });
});
