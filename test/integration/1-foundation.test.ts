// The extension in a real VS Code: it activates lazily, registers its view container and tree
// view, and reaches the sandbox with BEEPER_DESKTOP_BASE_URL / BEEPER_ACCESS_TOKEN.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, children, EXTENSION_ID, label, resetSandbox, sandbox, waitFor } from './helpers';

suite('Foundation: a real extension host', () => {
  suiteSetup(resetSandbox);

  test('the manifest activates lazily and contributes the container, the view and the setting', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const manifest = ext.packageJSON as {
      activationEvents: string[];
      contributes: { viewsContainers: { activitybar: { id: string }[] }; views: Record<string, { id: string }[]>; commands: { command: string; category?: string; title: string }[] };
    };
    assert.ok(!manifest.activationEvents.includes('*'), 'never activates on *');
    assert.deepStrictEqual(manifest.contributes.viewsContainers.activitybar.map((c) => c.id), ['beeper']);
    assert.deepStrictEqual(manifest.contributes.views.beeper?.map((v) => v.id), ['beeper.inbox', 'beeper.bridges', 'beeper.searchResults'], 'the Inbox first, the networks tree below it, search results when asked for');
    for (const c of manifest.contributes.commands) assert.strictEqual(c.category, 'Beeper', `${c.command} has the Beeper category`);
    assert.strictEqual(vscode.workspace.getConfiguration('beeper').get('baseUrl'), 'http://localhost:23373');
  });

  test('showing the Beeper view renders the tree; activation itself sent nothing', async () => {
    // The palette suite ran first and activated the extension (onStartupFinished does too), so
    // what this checks is what showing the view does: the tree becomes visible and lists bridges.
    await vscode.commands.executeCommand('workbench.view.extension.beeper');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await waitFor('activation', () => ext.isActive);
    const api = await activateExtension();
    assert.strictEqual(api.requestsDuringActivation, 0, 'activation makes no request');
    await waitFor('the tree view to be visible', () => api.treeView.visible);
    const roots = await children(api);
    assert.ok(roots.some((n) => label(api, n) === 'WhatsApp'), 'the visible tree lists the bridges');
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['beeper.refresh', 'beeper.loadMore', 'beeper.copyId', 'beeper.retry']) assert.ok(commands.includes(id), `${id} is registered`);
  });

  test('the tree reaches the sandbox with the environment variables and shows its bridges', async () => {
    const api = await activateExtension();
    assert.strictEqual(api.connection.baseUrl, process.env.BEEPER_DESKTOP_BASE_URL);
    api.tree.refresh();
    const roots = await children(api);
    const names = roots.map((n) => label(api, n));
    assert.ok(names.includes('WhatsApp'), `bridges shown: ${names.join(', ')}`);
    assert.ok(names.includes('Signal') && names.includes('LinkedIn'), 'every bridge is listed, in use or not');
    assert.strictEqual(api.connection.state, 'connected');
    const state = await sandbox<{ requests: { byRoute: Record<string, number> } }>('GET', '/_sandbox/state');
    assert.ok((state.requests.byRoute['GET /v1/bridges'] ?? 0) >= 1, 'the bridges route was called with an accepted token');
  });
});
