// Runs first, in a freshly activated window, before anything opens the Beeper view: every
// palette command is there and does something sensible whatever the connection state.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, waitFor } from './helpers';

interface Manifest {
  contributes: { commands: { command: string; title: string; category?: string }[]; menus: { commandPalette: { command: string; when: string }[] } };
}

const NEEDS_BEEPER = ['beeper.openChat', 'beeper.focusChat', 'beeper.addAccount', 'beeper.reconnectAccount'];

suite('Palette commands in a fresh window', () => {
  const manifest = vscode.extensions.getExtension('beeper-vscode.beeper-vscode')!.packageJSON as Manifest;
  const realError = vscode.window.showErrorMessage;
  teardown(() => {
    vscode.window.showErrorMessage = realError;
  });

  test('every contributed command is registered, with a category and a localized title', async () => {
    await activateExtension();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands;
    assert.ok(contributed.length >= 12);
    for (const c of contributed) {
      assert.ok(registered.has(c.command), `${c.command} is registered`);
      assert.strictEqual(c.category, 'Beeper', `${c.command} has the Beeper category`);
      assert.ok(c.title && !c.title.startsWith('%'), `${c.command} has a title`);
    }
    // In the manifest on disk every title is an l10n key with a string in package.nls.json.
    const ext = vscode.extensions.getExtension('beeper-vscode.beeper-vscode')!;
    const raw = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.json'), 'utf8')) as Manifest;
    const nls = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
    for (const c of raw.contributes.commands) {
      const key = /^%(beeper\.command\.\w+)%$/.exec(c.title)?.[1];
      assert.ok(key && nls[key], `${c.command} title is an l10n key with a string`);
    }
  });

  test('the commands that need Beeper show whenever the user is not signed out', () => {
    for (const command of NEEDS_BEEPER) {
      const when = manifest.contributes.menus.commandPalette.find((m) => m.command === command)?.when;
      assert.strictEqual(when, 'beeper.state != signedOut', `${command} is in the palette while the state is unknown or unreachable`);
    }
  });

  test('run while Beeper Desktop is not answering: each checks the connection, says what is wrong and offers Connect', async () => {
    const api = await activateExtension();
    const goodUrl = process.env.BEEPER_DESKTOP_BASE_URL!;
    const shown: { message: string; items: string[] }[] = [];
    vscode.window.showErrorMessage = (message: string, ...items: unknown[]) => {
      shown.push({ message, items: items.filter((i): i is string => typeof i === 'string') });
      return Promise.resolve(undefined);
    };
    process.env.BEEPER_DESKTOP_BASE_URL = 'http://127.0.0.1:9';
    try {
      for (const command of NEEDS_BEEPER) {
        shown.length = 0;
        const result = await vscode.commands.executeCommand(command);
        assert.ok(!result, `${command} did not go on`);
        assert.strictEqual(shown.length, 1, `${command} said what is wrong`);
        assert.match(shown[0]!.message, /Beeper Desktop is not answering/);
        assert.deepStrictEqual(shown[0]!.items, ['Connect', 'Open Settings']);
        assert.strictEqual(api.connection.state, 'unreachable');
      }
    } finally {
      process.env.BEEPER_DESKTOP_BASE_URL = goodUrl;
    }
    // Back up: the same command checks again and goes on to its quick pick.
    const realCreate = vscode.window.createQuickPick;
    let pick: vscode.QuickPick<vscode.QuickPickItem> | undefined;
    vscode.window.createQuickPick = (() => (pick = realCreate())) as typeof vscode.window.createQuickPick;
    try {
      const run = vscode.commands.executeCommand('beeper.openChat');
      await waitFor('the Open Chat pick', () => pick && pick.items.length > 0);
      assert.strictEqual(api.connection.state, 'connected');
      pick!.hide();
      await run;
    } finally {
      vscode.window.createQuickPick = realCreate;
    }
  });
});
