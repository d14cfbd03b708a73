// Sharing from the editor: "Send Selection to Chat…" puts the selection, as a fenced code block
// with its language and a file:line reference, in the picked chat's composer for a last edit
// (Enter sends it); "Send File to Chat…" uploads a file and sends it, with progress.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { ConnectionService } from '../connection/connectionService';
import type { ChatPanels } from '../webviews/chatPanels';
import { untrusted } from '../text/untrusted';
import { pickChat } from './chatCommands';
import { ensureConnected } from './guard';
import { fencedSnippet, mimeTypeOf, MAX_UPLOAD_BYTES } from './snippet';
import * as os from 'node:os';
import { attachmentVerdict, codeBlocksSurvive } from '../model/chatCaps';
import { formatBytes } from '../text/format';
import { permalinkOf } from '../host/permalinks';

/** The kinds of files a network takes, in words. */
const KIND_WORDS = (): Record<string, string> => ({ 'm.image': vscode.l10n.t('images'), 'm.video': vscode.l10n.t('videos'), 'm.audio': vscode.l10n.t('audio'), 'm.file': vscode.l10n.t('files') });

export function registerShareCommands(connection: ConnectionService, panels: ChatPanels, accountLabel: (accountID: string) => string | undefined): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('beeper.sendSelection', async (_uri?: vscode.Uri, target?: { chatID: string; title?: string }) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.selections.every((s) => s.isEmpty)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select some code in an editor first, then run Beeper: Send Selection to Chat….'));
        return undefined;
      }
      if (!(await ensureConnected(connection))) return undefined;
      const selection = editor.selections.find((s) => !s.isEmpty)!;
      const doc = editor.document;
      const where = doc.isUntitled ? path.basename(doc.fileName) : vscode.workspace.asRelativePath(doc.uri, false);
      const startLine = selection.start.line + 1;
      const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
      const chat = target ?? (await pickChat(connection, accountLabel, vscode.l10n.t('Send Selection to Chat')));
      if (!chat) return undefined;
      const panel = await panels.open(chat.chatID, chat.title);
      const caps = panel.chat?.capabilities;
      // A network that drops code blocks gets plain text (the fence would show as backticks).
      const code = doc.getText(selection);
      const text = codeBlocksSurvive(caps) ? fencedSnippet(code, doc.languageId, where, startLine, endLine) : `${where}:${endLine > startLine ? `${startLine}-${endLine}` : startLine}\n${code.replace(/\r\n/g, '\n').replace(/\n+$/, '')}`;
      const max = Math.min(caps?.maxTextLength ?? Infinity, 60_000);
      if (text.length > max) {
        const asFile = vscode.l10n.t('Send as a File');
        const choice = await vscode.window.showWarningMessage(vscode.l10n.t('The selection is {0} characters; this network takes at most {1} in one message.', text.length, max), asFile);
        if (choice !== asFile) return undefined;
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'beeper-selection-')), `${path.basename(where).replace(/[^\w.-]+/g, '_') || 'selection'}.txt`);
        fs.writeFileSync(file, code);
        return vscode.commands.executeCommand('beeper.sendFile', vscode.Uri.file(file), chat);
      }
      await panel.prefill(text);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Beeper: the selection is in the message box. Edit it if you like, then press Enter to send.'), 8000);
      return panel;
    }),
    vscode.commands.registerCommand('beeper.sendPermalink', async (_uri?: vscode.Uri, target?: { chatID: string; title?: string }) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a file and select some lines first, then run Beeper: Send Link to Selection….'));
        return undefined;
      }
      // The selected lines (a selection ending at the start of a line leaves that line out), or the cursor's line.
      const selection = editor.selection;
      const startLine = selection.start.line + 1;
      const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
      const link = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Beeper: making the link…') }, () => permalinkOf(editor.document, startLine, endLine));
      if ('reason' in link) {
        const snippet = vscode.l10n.t('Send the Code Instead');
        const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Beeper: could not make a link to these lines, because {0}. Send the code itself instead?', link.reason), snippet);
        if (answer !== snippet) return undefined;
        if (selection.isEmpty) editor.selection = new vscode.Selection(selection.start.line, 0, selection.start.line, editor.document.lineAt(selection.start.line).text.length);
        return vscode.commands.executeCommand('beeper.sendSelection', undefined, target);
      }
      if (!(await ensureConnected(connection))) return undefined;
      const chat = target ?? (await pickChat(connection, accountLabel, vscode.l10n.t('Send Link to Selection')));
      if (!chat) return undefined;
      const panel = await panels.open(chat.chatID, chat.title);
      await panel.prefill(link.url);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Beeper: the link is in the message box. Add a word if you like, then press Enter to send.'), 8000);
      return panel;
    }),
    vscode.commands.registerCommand('beeper.sendFile', async (uri?: vscode.Uri, target?: { chatID: string; title?: string }) => {
      const file = uri instanceof vscode.Uri ? uri : (await vscode.window.showOpenDialog({ canSelectMany: false, title: vscode.l10n.t('Send File to Chat') }))?.[0];
      if (!file) return undefined;
      if (!(await ensureConnected(connection))) return undefined;
      let size: number;
      try {
        const st = await fs.promises.stat(file.fsPath);
        if (!st.isFile()) throw new Error(vscode.l10n.t('not a file'));
        size = st.size;
      } catch (e) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not send {0}, because: {1}', untrusted(path.basename(file.fsPath), 200), untrusted(describeError(e), 600)));
        return undefined;
      }
      if (size > MAX_UPLOAD_BYTES) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: {0} is larger than 500 MB, the most Beeper Desktop accepts.', untrusted(path.basename(file.fsPath), 200)));
        return undefined;
      }
      const chat = target ?? (await pickChat(connection, accountLabel, vscode.l10n.t('Send File to Chat')));
      if (!chat) return undefined;
      const name = path.basename(file.fsPath);
      // What the network takes, checked before uploading: the type, then the size.
      try {
        const caps = (await (await connection.client()).getChat(chat.chatID, { maxParticipantCount: 0 })).capabilities;
        const verdict = attachmentVerdict(caps, mimeTypeOf(name), size);
        if (!verdict.ok) {
          const kinds = verdict.reason === 'type' ? verdict.accepts.map((k) => KIND_WORDS()[k] ?? untrusted(k.replace(/^m\./, ''), 40)).join(', ') : '';
          void vscode.window.showErrorMessage(
            verdict.reason === 'type'
              ? kinds
                ? vscode.l10n.t('Beeper: could not send {0}, because this network does not take this kind of file. It takes: {1}.', untrusted(name, 200), kinds)
                : vscode.l10n.t('Beeper: could not send {0}, because this network takes no files.', untrusted(name, 200))
              : vscode.l10n.t('Beeper: could not send {0}, because it is {1} and this network takes files up to {2}.', untrusted(name, 200), formatBytes(size) ?? String(size), formatBytes(verdict.maxSize) ?? String(verdict.maxSize)),
          );
          return undefined;
        }
      } catch (e) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not send {0}, because: {1}', untrusted(name, 200), untrusted(describeError(e), 600)));
        return undefined;
      }
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Sending {0}', untrusted(name, 100)), cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        try {
          progress.report({ message: vscode.l10n.t('Uploading ({0} bytes)…', size) });
          const client = await connection.client();
          const blob = await fs.openAsBlob(file.fsPath, { type: mimeTypeOf(name) });
          const upload = await client.uploadAsset(blob, name, mimeTypeOf(name), { signal: abort.signal });
          if (!upload.uploadID) throw new Error(upload.error ?? vscode.l10n.t('the upload was not accepted'));
          progress.report({ increment: 80, message: vscode.l10n.t('Sending…') });
          const panel = await panels.open(chat.chatID, chat.title);
          const pendingID = await panel.sending.sendAttachment({ uploadID: upload.uploadID, fileName: name, mimeType: upload.mimeType ?? mimeTypeOf(name) });
          progress.report({ increment: 20 });
          return pendingID;
        } catch (e) {
          if (!abort.signal.aborted) void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not send {0}, because: {1}', untrusted(name, 200), untrusted(describeError(e), 400)));
          return undefined;
        }
      });
    }),
  ];
}

/** A message's context menu in the chat page (webview/context): acts on the active panel. */
interface MessageContext {
  webview?: string;
  messageID?: string;
}

export function registerMessageCommands(panels: ChatPanels): vscode.Disposable[] {
  const on = (run: (panel: NonNullable<ChatPanels['active']>, id: string) => Promise<unknown> | void) => (ctx?: MessageContext) => {
    const panel = panels.active;
    if (!panel || typeof ctx?.messageID !== 'string') return;
    return run(panel, ctx.messageID);
  };
  return [
    vscode.commands.registerCommand('beeper.message.reply', on((p, id) => p.startReply(id))),
    vscode.commands.registerCommand('beeper.message.react', on((p, id) => p.actions.pickReaction(id))),
    vscode.commands.registerCommand('beeper.message.copy', on((p, id) => p.actions.copyText(id))),
    vscode.commands.registerCommand('beeper.message.edit', on((p, id) => p.startEdit(id))),
    vscode.commands.registerCommand('beeper.message.delete', on((p, id) => p.actions.delete(id))),
    vscode.commands.registerCommand('beeper.message.openInBeeper', on((p, id) => p.actions.openInBeeper(id))),
  ];
}
