// Code in chats becomes editor links, in the real host: the workspace is the demo project
// (test/host/demoWorkspace.ts, a git repository whose remote is github.com/beeper-sandbox/demo
// with its commit on origin/main), and the sandbox's "Code review" chat talks about it. A path
// with a line, a Node stack frame and a GitHub permalink each open the right file at the right
// line; `../../etc/passwd.txt`, a symlink out of the folder and a missing file stay text; the
// page is never told a file path; "Send Link to Selection…" builds the permalink of a selection.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BeeperExtensionApi } from '../../src/extension';
import type { ChatPageUpdate, ViewMessage } from '../../src/webviews/protocol';
import { liveSuite, openChatPage, waitFor } from './helpers';

const CODE_CHAT = '!chat9_local-whatsapp_ba_sandbox1:local-whatsapp.localhost';

interface GitApiLike {
  repositories: { rootUri: vscode.Uri; state: { HEAD?: { commit?: string }; remotes: { name: string }[] } }[];
}

suite('Code links', () => {
  let api: BeeperExtensionApi;
  const live = liveSuite();
  let root: string;

  suiteSetup(async () => {
    await live.start();
    api = live.api();
    api.testing.setWindowFocused(false);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run in a workspace folder');
    root = fs.realpathSync(folder.uri.fsPath);
    assert.ok(fs.existsSync(path.join(root, 'src/server/routes.ts')), 'the demo project is there');
  });
  suiteTeardown(async () => {
    api.testing.setWindowFocused(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    live.stop();
  });

  /** The Git extension has opened the workspace's repository with its remote (it scans on its own). */
  async function gitReady(): Promise<string> {
    const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApiLike }>('vscode.git');
    assert.ok(ext, 'the built-in Git extension');
    const git = (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
    return waitFor('the repository with its remote', () => {
      const repo = git.repositories.find((r) => fs.realpathSync(r.rootUri.fsPath) === root);
      return repo?.state.HEAD?.commit && repo.state.remotes.length ? repo.state.HEAD.commit : undefined;
    }, 30_000);
  }

  async function openLink(probe: Awaited<ReturnType<typeof openChatPage>>, message: ViewMessage, text: string, file: string, line: number) {
    const link = message.code?.find((c) => c.text === text);
    assert.ok(link, `"${text}" is a link (links: ${JSON.stringify(message.code?.map((c) => c.text))})`);
    const errors: string[] = [];
    const real = vscode.window.showErrorMessage;
    vscode.window.showErrorMessage = ((m: string) => (errors.push(m), Promise.resolve(undefined)));
    try {
      await probe.receive({ type: 'openCode', id: message.id, n: link.n });
    } finally {
      vscode.window.showErrorMessage = real;
    }
    assert.deepStrictEqual(errors, [], 'opened without an error');
    return waitFor(`the editor for ${text}`, () => {
      const editor = vscode.window.activeTextEditor;
      return editor && fs.realpathSync(editor.document.uri.fsPath) === path.join(root, file) && editor.selection.start.line === line ? editor : undefined;
    });
  }

  test('a path with a line, a Node stack frame and a GitHub permalink each open the file at the line, selected; the page gets no path', async function () {
    // The Git extension scans the workspace on its own schedule (slow on a busy machine).
    this.timeout(120_000);
    await gitReady();
    const probe = await openChatPage(api, CODE_CHAT, 'messages');
    const byText = (part: string) => probe.page.messages().find((m) => m.html?.includes(part));
    const trace = await waitFor('the stack trace with its links', () => (byText('CI went red')?.code?.length === 2 ? byText('CI went red') : undefined), 15_000);
    const pathMsg = await waitFor('the path and the permalink as links', () => (byText('The lookup is in')?.code?.length === 2 ? byText('The lookup is in') : undefined), 15_000);

    let editor = await openLink(probe, pathMsg, 'src/server/routes.ts:12', 'src/server/routes.ts', 11);
    assert.ok(!editor.selection.isEmpty, 'the line is selected');
    assert.strictEqual(editor.document.getText(editor.selection), editor.document.lineAt(11).text.trim());

    editor = await openLink(probe, trace, 'src/server/app.ts:8:3', 'src/server/app.ts', 7);
    assert.deepStrictEqual([editor.selection.start.line, editor.selection.start.character], [7, 2], 'line 8, column 3');

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const permalink = 'https://github.com/beeper-sandbox/demo/blob/main/src/server/routes.ts#L12-L15';
    editor = await openLink(probe, pathMsg, permalink, 'src/server/routes.ts', 11);
    assert.deepStrictEqual([editor.selection.start.line, editor.selection.end.line], [11, 14], 'lines 12 to 15 selected');
    assert.ok(!/another commit|checkout is at/.test(pathMsg.code!.find((c) => c.text === permalink)!.title), 'main is the checked-out branch: no warning');

    // What the page was told: the link's text (already in the message) and a title, never a file system path.
    const posted = JSON.stringify(probe.posted.filter((u: ChatPageUpdate) => u.type === 'window'));
    assert.ok(!posted.includes(root), 'no absolute path reached the page');
  });

  test('../../etc/passwd.txt, a symlink out of the workspace and a missing file stay plain text; a permalink to another ref says so', async () => {
    const probe = await openChatPage(api, CODE_CHAT, 'messages');
    const message = await waitFor('the message with paths that stay text', () => probe.page.messages().find((m) => m.html?.includes('These stay text')));
    // Give the host the time it takes for the others (they resolved); this one must have none.
    await waitFor('the other links resolved', () => probe.page.messages().find((m) => m.html?.includes('The lookup is in'))?.code?.length === 2 || undefined, 15_000);
    assert.ok(fs.lstatSync(path.join(root, 'src/escape.ts')).isSymbolicLink(), 'the symlink exists');
    assert.deepStrictEqual(message.code ?? [], [], 'no links');

    // A permalink to a commit that is not checked out: still a link to the local file, and the hover says so.
    const before = probe.page.messages().length;
    await probe.receive({ type: 'send', requestID: 41, text: 'Old one: https://github.com/beeper-sandbox/demo/blob/0123abcd/src/server/app.ts#L7' });
    const sent = await waitFor('the sent permalink as a link', () => probe.page.messages().find((m) => m.html?.startsWith('Old one') && m.code?.length) , 15_000);
    assert.ok(probe.page.messages().length > before);
    assert.match(sent.code![0]!.title, /0123abcd/);
    assert.match(sent.code![0]!.title, /checkout is at main/);
    await openLink(probe, sent, sent.code![0]!.text, 'src/server/app.ts', 6);
  });

  test('Send Link to Selection… builds the permalink of the selected lines at the pushed commit and puts it in the composer', async function () {
    this.timeout(120_000);
    const commit = await gitReady();
    const doc = await vscode.workspace.openTextDocument(path.join(root, 'src/server/routes.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(11, 0, 14, 1);
    const panel = await vscode.commands.executeCommand<{ chatID: string } | undefined>('beeper.sendPermalink', undefined, { chatID: CODE_CHAT, title: 'Code review' });
    assert.ok(panel, 'the chat opened');
    const probe = api.testing.chatPage(panel.chatID)!;
    const url = `https://github.com/beeper-sandbox/demo/blob/${commit}/src/server/routes.ts#L12-L15`;
    await waitFor('the link in the composer', () => probe.posted.some((u) => u.type === 'composer' && u.insert === url) || undefined);

    // Not pushed (a new local commit): no link, and the user is told why and offered the code.
    const file = path.join(root, 'src/server/routes.ts');
    const warnings: string[] = [];
    const real = vscode.window.showWarningMessage;
    vscode.window.showWarningMessage = ((message: string) => (warnings.push(message), Promise.resolve(undefined)));
    try {
      const edited = await vscode.workspace.openTextDocument(file);
      const e2 = await vscode.window.showTextDocument(edited);
      await e2.edit((b) => b.insert(new vscode.Position(0, 0), '// changed\n'));
      e2.selection = new vscode.Selection(2, 0, 3, 0);
      await vscode.commands.executeCommand('beeper.sendPermalink', undefined, { chatID: CODE_CHAT, title: 'Code review' });
      assert.strictEqual(warnings.length, 1);
      assert.match(warnings[0]!, /^Beeper: could not make a link to these lines, because the file has changes that are not committed/);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    } finally {
      vscode.window.showWarningMessage = real;
    }
  });
});
