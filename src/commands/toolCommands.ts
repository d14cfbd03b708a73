// Beeper: Show What a Chat Tool Returns… runs one of the chat agent's read tools through VS Code
// (`vscode.lm.invokeTool`, as the agent would) and opens its exact result in an editor: what the
// language model would be sent, for the user to check, and a way to try the tools without a model.
import * as vscode from 'vscode';
import type { ConnectionService } from '../connection/connectionService';
import type { BeeperTools, ToolName } from '../tools/languageModelTools';
import { untrusted } from '../text/untrusted';
import { ensureConnected } from './guard';

interface ToolPick extends vscode.QuickPickItem {
  tool: ToolName;
  ask?: { prompt: string; placeHolder: string; input: (value: string) => object; optional?: boolean };
}

/** Results shown as read-only documents (nothing to save when closed); the last few are kept. */
const SCHEME = 'beeper-tool-result';
const results = new Map<string, string>();
let shown = 0;

export function registerToolCommands(connection: ConnectionService, tools: BeeperTools): vscode.Disposable[] {
  return [
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, { provideTextDocumentContent: (uri) => results.get(uri.path) ?? '' }),
    vscode.commands.registerCommand('beeper.showToolResult', async (): Promise<string | undefined> => {
      const picks: ToolPick[] = [
        { tool: 'beeper_listAccounts', label: '$(account) beeper_listAccounts', detail: vscode.l10n.t('Your accounts, their networks and health') },
        {
          tool: 'beeper_searchChats',
          label: '$(comment-discussion) beeper_searchChats',
          detail: vscode.l10n.t('Chats by title or participant'),
          ask: { prompt: vscode.l10n.t('Words to find in chat titles (empty: the most recent chats)'), placeHolder: 'Release crew', input: (query) => (query ? { query } : {}), optional: true },
        },
        {
          tool: 'beeper_readChat',
          label: '$(comment) beeper_readChat',
          detail: vscode.l10n.t('The latest messages of a chat'),
          ask: { prompt: vscode.l10n.t('The chat title or chat ID'), placeHolder: 'Long History (10,000 messages)', input: (chat) => (chat.startsWith('!') ? { chatID: chat } : { chatTitle: chat }) },
        },
        {
          tool: 'beeper_searchMessages',
          label: '$(search) beeper_searchMessages',
          detail: vscode.l10n.t('Messages containing words, across chats'),
          ask: { prompt: vscode.l10n.t('Exact words to find in messages'), placeHolder: 'coffee', input: (query) => ({ query }) },
        },
      ];
      const available = picks.filter((p) => tools.registered.includes(p.tool));
      if (available.length === 0) {
        const open = vscode.l10n.t('Open Settings');
        const choice = await vscode.window.showInformationMessage(vscode.l10n.t('The Beeper chat tools are turned off (beeper.languageModelTools).'), open);
        if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'beeper.languageModelTools');
        return undefined;
      }
      if (!(await ensureConnected(connection))) return undefined;
      const pick = await vscode.window.showQuickPick(available, { title: vscode.l10n.t('Show what a Beeper chat tool returns to the language model') });
      if (!pick) return undefined;
      let input: object = {};
      if (pick.ask) {
        const value = await vscode.window.showInputBox({ title: pick.tool, prompt: pick.ask.prompt, placeHolder: pick.ask.placeHolder, validateInput: (v) => (pick.ask!.optional || v.trim() ? undefined : vscode.l10n.t('Type something to look for.')) });
        if (value === undefined) return undefined;
        input = pick.ask.input(value.trim());
      }
      try {
        const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Running {0}…', pick.tool), cancellable: true }, (_p, token) =>
          vscode.lm.invokeTool(pick.tool, { input, toolInvocationToken: undefined }, token),
        );
        const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
        const header = vscode.l10n.t('What {0} returned for {1} — the text a chat\'s language model would be sent:', pick.tool, JSON.stringify(input));
        const key = `/${++shown}/${pick.tool}.txt`;
        results.set(key, `${header}\n\n${text}\n`);
        for (const old of results.keys()) if (results.size > 10) results.delete(old);
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: SCHEME, path: key }));
        await vscode.window.showTextDocument(doc, { preview: true });
        return text;
      } catch (e) {
        // The tool's own sentence, shown as text (it may quote a server's words).
        void vscode.window.showErrorMessage(untrusted(e instanceof Error ? e.message : String(e), 600));
        return undefined;
      }
    }),
  ];
}
