// Entry point: wires the services together and nothing else. Activation makes no request; the
// first one goes out when the Beeper view is shown or, for the status bar, just after.
//
//   connection (token, address, state) → client (src/api)
//   loader (HTTP) ─┐
//   live (socket, polling) ─┼→ model (src/model) → Inbox, tree, status bar, panels, notifications
//   panels, triage, drafts ─┘
import * as vscode from 'vscode';
import { openSocket } from './live/socket';
import { registerAccountCommands } from './commands/accountCommands';
import { registerChatCommands } from './commands/chatCommands';
import { registerConnectCommands } from './commands/connectCommands';
import { currentContactPick, registerPeopleCommands, type ContactPickHandle } from './commands/peopleCommands';
import { registerTreeCommands } from './commands/treeCommands';
import { TriageCommands } from './commands/triageCommands';
import { InboxProvider, type InboxNode } from './inbox/inboxProvider';
import { DraftSync } from './model/draftSync';
import { Triage } from './model/triage';
import { MessageSearch } from './search/messageSearch';
import { currentSearchPick, registerSearchCommands, type SearchPickHandle } from './search/searchCommands';
import { SearchResultsProvider, type SearchNode } from './search/searchView';
import type { Message } from './api/types';
import { ConnectionService } from './connection/connectionService';
import { LiveUpdates } from './live/liveUpdates';
import { LoginService } from './login/loginService';
import { ModelLoader } from './model/loader';
import { BeeperModel } from './model/model';
import { onListenerError } from './model/emitter';
import { accountLabelFor } from './model/labels';
import { MessageNotifier } from './notifications/notifier';
import { HealthStatusItem } from './statusBar/healthItem';
import type { TreeNode } from './tree/nodes';
import { BeeperTreeProvider } from './tree/provider';
import { BridgePanels } from './webviews/bridgePanels';
import { ChatPanels } from './webviews/chatPanels';
import { registerMessageCommands, registerShareCommands } from './commands/shareCommands';
import { registerToolCommands } from './commands/toolCommands';
import { loadMessageText } from './text/messageTextLoader';
import { BeeperTools } from './tools/languageModelTools';
import { BeeperMcpProvider, MCP_PROVIDER_ID } from './tools/mcpServer';
import { createTestingPort, type TestingPort } from './testing';
import { setting } from './host/settings';
import { CodeLinkResolver } from './host/codeLinks';
import { CatchUpSource } from './model/catchUpSource';
import { BeeperChatParticipant } from './tools/chatParticipant';
import { currentCatchUpPick, registerCatchUpCommands, type CatchUpPickHandle } from './commands/catchUpCommands';

/** What activate returns: used by the integration tests and the benchmark, not a public API. */
export interface BeeperExtensionApi {
  connection: ConnectionService;
  model: BeeperModel;
  loader: ModelLoader;
  live: LiveUpdates;
  notifier: MessageNotifier;
  tree: BeeperTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  inbox: InboxProvider;
  inboxView: vscode.TreeView<InboxNode>;
  triage: Triage;
  triageCommands: TriageCommands;
  drafts: DraftSync;
  searchResults: SearchResultsProvider;
  searchView: vscode.TreeView<SearchNode>;
  /** The open Search Messages pick (tests type into it). */
  searchPick(): SearchPickHandle | undefined;
  /** The open What Needs Me? pick (tests read its rows and press its buttons). */
  catchUpPick(): CatchUpPickHandle | undefined;
  catchUp: CatchUpSource;
  /** `@beeper` in VS Code chat (tests call its handler with a real language model). */
  participant: BeeperChatParticipant;
  chatPanels: ChatPanels;
  bridgePanels: BridgePanels;
  /** The open Find Contact pick (tests type into it). */
  contactPick(): ContactPickHandle | undefined;
  logins: LoginService;
  health: HealthStatusItem;
  /** The language-model tools (registered per `beeper.languageModelTools`). */
  tools: BeeperTools;
  /** The provider of Beeper Desktop's MCP server definition. */
  mcp: BeeperMcpProvider;
  /** From activate() being called to it returning, in ms (the benchmark reports it). */
  activationMs: number;
  /** Requests sent before activate() returned (the goal is none). */
  requestsDuringActivation: number;
  /** Where this extension's log files go (the security tests grep them for the token). */
  logUri: vscode.Uri;
  /** The testing port: the seams integration tests and the benchmark may turn, in one place. */
  testing: TestingPort;
}

let logins: LoginService | undefined;

export function activate(context: vscode.ExtensionContext): BeeperExtensionApi {
  const started = performance.now();
  let focusOverride: boolean | undefined;
  const log = vscode.window.createOutputChannel('Beeper', { log: true });
  onListenerError((e) => log.warn(`A listener of the Beeper model failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  const connection = new ConnectionService(context.secrets, log);
  const model = new BeeperModel();
  const loader = new ModelLoader(model, () => connection.client(), () => ({ pageSize: setting('chatPageSize') }));
  const accountLabel = (accountID: string) => accountLabelFor(model.groups, accountID);
  const inbox = new InboxProvider(connection, model, loader, context.globalState, accountLabel);
  const inboxView = vscode.window.createTreeView('beeper.inbox', { treeDataProvider: inbox });
  inbox.attach(inboxView);
  const tree = new BeeperTreeProvider(connection, model, loader);
  const treeView = vscode.window.createTreeView('beeper.bridges', { treeDataProvider: tree, showCollapseAll: true });
  const triage = new Triage(model, () => connection.client());
  const drafts = new DraftSync(model, () => connection.client(), context.globalState, (html) => loadMessageText().htmlToText(html), log);
  const codeLinks = new CodeLinkResolver(log);
  const chatPanels = new ChatPanels(context.extensionUri, connection, accountLabel, model, loader, {
    codeLinks,
    assetDir: vscode.Uri.joinPath(context.globalStorageUri, 'assets'),
    drafts,
    triage,
    // Asked only after activation, when `live` (made below) exists.
    liveMode: () => live.mode,
    htmlToText: (html, max?: number) => loadMessageText().htmlToText(html, max),
    log,
  });
  const bridgePanels = new BridgePanels(context.extensionUri, connection, log);
  const notifier = new MessageNotifier(connection, model, loader, (chatID) => chatPanels.isVisible(chatID));
  const live = new LiveUpdates({
    model,
    loader,
    token: () => connection.token,
    info: async () => {
      const client = await connection.client();
      return { info: await client.getInfo(), baseUrl: client.baseUrl };
    },
    mayConnect: (url) => connection.mayConnect(url),
    settings: () => ({ liveUpdates: setting('liveUpdates'), pollSeconds: setting('pollSeconds') }),
    focused: () => focusOverride ?? vscode.window.state.focused,
    log,
    // From the extension host only: browsers cannot send the Authorization header.
    createSocket: openSocket,
  });
  logins = new LoginService(context.extensionUri, connection);
  const health = new HealthStatusItem(connection, loader, model, log, () => (connection.state === 'connected' ? live.status() : undefined));
  const tools = new BeeperTools({
    connection,
    model,
    loader,
    accountLabel,
    htmlToText: (html, max) => loadMessageText().htmlToText(html, max),
    setting: () => setting('languageModelTools'),
    log,
  });
  tools.apply();
  const mcp = new BeeperMcpProvider(connection, () => setting('mcpServer'), log);
  const triageCommands = new TriageCommands({ connection, model, loader, triage, panels: chatPanels, inbox, accountLabel });
  const search = new MessageSearch(() => connection.client(), model);
  const catchUp = new CatchUpSource(model, () => connection.client());
  const participant = new BeeperChatParticipant({ connection, model, source: catchUp, panels: chatPanels, drafts, search, accountLabel, log });
  participant.register(context.extensionUri);
  const messageLine = (m: Message) => (m.text ? loadMessageText().htmlToText(m.text, 400) : (m.attachments ?? []).map((a) => a.fileName ?? a.type).join(', '));
  const searchResults = new SearchResultsProvider(search, messageLine, accountLabel);
  const searchView = vscode.window.createTreeView('beeper.searchResults', { treeDataProvider: searchResults });
  searchResults.attach(searchView);

  context.subscriptions.push(
    log,
    connection,
    model,
    tree,
    treeView,
    inbox,
    inboxView,
    triageCommands,
    searchResults,
    searchView,
    codeLinks,
    participant,
    chatPanels,
    bridgePanels,
    notifier,
    live,
    logins,
    health,
    tools,
    mcp,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, mcp),
    connection.onDidChange(() => {
      mcp.refresh();
      tree.reset();
      // Another address or token: the socket starts over (or stays closed when signed out).
      live.stop();
      if (connection.state === 'connected') live.start();
    }),
    connection.onDidChangeState((state) => {
      mcp.refresh();
      // Drafts typed while Beeper Desktop was away go to it now.
      if (state === 'connected') drafts.flush().catch((e: unknown) => log.debug(`Drafts stay pending: ${String(e)}`));
      if (state === 'connected') live.start();
      else if (state === 'signedOut' || state === 'unauthorized' || state === 'notApproved' || state === 'misconfigured') live.stop();
    }),
    live.onDidChangeMode(() => health.update()),
    vscode.window.onDidChangeWindowState((state) => live.onFocusChanged(state.focused)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('beeper.languageModelTools')) tools.apply();
      if (e.affectsConfiguration('beeper.mcpServer')) mcp.refresh();
      if ((e.affectsConfiguration('beeper.liveUpdates') || e.affectsConfiguration('beeper.pollSeconds')) && live.mode !== 'off') live.restart();
    }),
    tree.onDidChangeUnread((total) => {
      inboxView.badge = total > 0 ? { value: total, tooltip: total === 1 ? vscode.l10n.t('1 unread message') : vscode.l10n.t('{0} unread messages', total) } : undefined;
    }),
    ...registerTreeCommands(tree),
    ...registerConnectCommands(connection),
    ...registerChatCommands(connection, chatPanels, accountLabel),
    ...registerAccountCommands(connection, model, loader, async (accountID, options) => {
      await tree.loadedRoots();
      const node = tree.accountNode(accountID);
      if (node) await treeView.reveal(node, { select: true, ...options }).then(undefined, (e: unknown) => log.debug(`Could not reveal the account row: ${String(e)}`));
    }, logins),
    ...registerPeopleCommands(connection, model, loader, chatPanels, bridgePanels),
    ...registerShareCommands(connection, chatPanels, accountLabel),
    ...registerMessageCommands(chatPanels),
    ...registerToolCommands(connection, tools),
    ...registerSearchCommands(search, chatPanels, searchResults, messageLine, accountLabel),
    ...registerCatchUpCommands({ connection, model, source: catchUp, panels: chatPanels, triage: triageCommands, accountLabel, log }),
  );
  // After activation has returned: the status bar's first read (shared with the tree).
  setTimeout(() => health.start(), 0);
  return {
    connection,
    model,
    loader,
    live,
    notifier,
    tree,
    treeView,
    inbox,
    inboxView,
    triage,
    triageCommands,
    drafts,
    searchResults,
    searchView,
    searchPick: currentSearchPick,
    catchUpPick: currentCatchUpPick,
    catchUp,
    participant,
    chatPanels,
    bridgePanels,
    contactPick: currentContactPick,
    logins,
    health,
    tools,
    mcp,
    activationMs: performance.now() - started,
    requestsDuringActivation: connection.requestCount,
    logUri: context.logUri,
    testing: createTestingPort(chatPanels, notifier, triageCommands, (focused) => {
      focusOverride = focused;
    }),
  };
}

/** A login in progress is cancelled on the server before the window goes. */
export async function deactivate(): Promise<void> {
  await logins?.cancelAll();
}
