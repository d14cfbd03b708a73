// People: Find Contact (search as you type over one account or all of them, page the list with an
// empty query, then Message / Copy) and New Chat (an identifier checked against what the network
// can look up). Both start chats with POST /v1/chats/start and open the chat's panel.
import * as vscode from 'vscode';
import type { BeeperClient } from '../api/client';
import { BeeperApiError, describeError } from '../api/errors';
import type { Account, ProvisioningCapabilities, User } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import type { ModelLoader } from '../model/loader';
import type { BeeperModel } from '../model/model';
import { canResolve, classifyIdentifier } from '../people/capabilities';
import { contactHandle, copyableOf, mergeContacts, type ContactRow } from '../people/contacts';
import { accountLabel, accountNetwork } from '../model/labels';
import type { TreeNode } from '../tree/nodes';
import { untrusted, untrustedLabel } from '../text/untrusted';
import type { BridgePanels } from '../webviews/bridgePanels';
import type { ChatPanels } from '../webviews/chatPanels';
import { ensureConnected } from './guard';

const SEARCH_DEBOUNCE_MS = 250;
const LIST_PAGE = 50;

type AccountArg = TreeNode | { accountID?: string } | string | undefined;

export interface ContactItem extends vscode.QuickPickItem {
  row?: ContactRow;
  loadMore?: boolean;
}

/** The open Find Contact pick, for tests: what it shows, and the user's typing and choice. */
export interface ContactPickHandle {
  readonly pick: vscode.QuickPick<ContactItem>;
  /** As if the user typed this (the same handler as the pick's own). */
  type(value: string): void;
  /** As if the user chose this row. */
  accept(item: ContactItem): Promise<void>;
  /** Settles when the current search or page has been drawn. */
  idle(): Promise<void>;
}

let activeContactPick: ContactPickHandle | undefined;

/** The open Find Contact pick, if any (the extension's test API hands this out). */
export function currentContactPick(): ContactPickHandle | undefined {
  return activeContactPick;
}

/** What the Find Contact pick did (tests read it). */
export interface FindContactResult {
  /** Search requests sent while typing (one per account per settled query). */
  searches: number;
  chatID?: string;
}

export function registerPeopleCommands(connection: ConnectionService, model: BeeperModel, loader: ModelLoader, panels: ChatPanels, bridgePanels: BridgePanels): vscode.Disposable[] {
  const accountsFor = async (arg: AccountArg, title: string): Promise<Account[] | undefined> => {
    await loader.ensureAccounts();
    const all = model.accounts.filter((a) => a.status !== 'disabled');
    const given = typeof arg === 'string' ? arg : arg && 'kind' in arg ? (arg.kind === 'account' ? arg.account.accountID : undefined) : arg?.accountID;
    if (given) {
      const account = model.accounts.find((a) => a.accountID === given);
      return account ? [account] : undefined;
    }
    if (all.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Beeper: no chat accounts yet. Add one first.'));
      return undefined;
    }
    if (all.length === 1) return all;
    const pick = await vscode.window.showQuickPick(
      [
        ...(title === 'find' ? [{ label: `$(globe) ${vscode.l10n.t('All accounts')}`, description: vscode.l10n.t('{0} accounts', all.length), accounts: all }] : []),
        ...all.map((a) => ({ label: untrustedLabel(accountLabel(a), 100), description: untrusted(accountNetwork(a), 80), accounts: [a] })),
      ],
      { title: title === 'find' ? vscode.l10n.t('Find Contact: where?') : vscode.l10n.t('New Chat: on which account?'), placeHolder: vscode.l10n.t('Pick an account') },
    );
    return pick?.accounts;
  };

  const startChat = async (client: BeeperClient, accountID: string, user: User | StartUser) => {
    const chat = await client.startChat({ accountID, user: { id: 'id' in user ? user.id : undefined, username: user.username, phoneNumber: user.phoneNumber, email: user.email, fullName: user.fullName } });
    model.upsertChat(chat);
    await panels.open(chat.id, chat.title);
    vscode.window.setStatusBarMessage(chat.status === 'created' ? vscode.l10n.t('Beeper: started a new chat') : vscode.l10n.t('Beeper: opened your existing chat'), 4000);
    return chat;
  };

  return [
    vscode.commands.registerCommand('beeper.showBridgeDetails', async (arg?: TreeNode | string | { bridgeID?: string }) => {
      if (!(await ensureConnected(connection))) return undefined;
      let bridgeID = typeof arg === 'string' ? arg : arg && 'kind' in arg ? (arg.kind === 'bridge' ? arg.group.id : undefined) : arg?.bridgeID;
      let title: string | undefined;
      if (!bridgeID) {
        await loader.ensureAccounts();
        const pick = await vscode.window.showQuickPick(
          model.groups.filter((g) => !g.fallback).map((g) => ({ label: untrustedLabel(g.displayName, 100), description: g.accounts.length === 1 ? vscode.l10n.t('1 account') : vscode.l10n.t('{0} accounts', g.accounts.length), id: g.id })),
          { title: vscode.l10n.t('Show Bridge Details'), placeHolder: vscode.l10n.t('Pick a chat network') },
        );
        bridgeID = pick?.id;
        title = pick?.label;
      }
      if (!bridgeID) return undefined;
      return bridgePanels.open(bridgeID, title);
    }),
    vscode.commands.registerCommand('beeper.findContact', async (arg?: AccountArg): Promise<FindContactResult | undefined> => {
      if (!(await ensureConnected(connection))) return undefined;
      const accounts = await accountsFor(arg, 'find');
      if (!accounts?.length) return undefined;
      const client = await connection.client();
      return findContact(client, accounts, startChat);
    }),
    vscode.commands.registerCommand('beeper.newChat', async (arg?: AccountArg) => {
      if (!(await ensureConnected(connection))) return undefined;
      const account = (await accountsFor(arg, 'new'))?.[0];
      if (!account) return undefined;
      const client = await connection.client();
      let caps: ProvisioningCapabilities | undefined;
      if (account.bridge?.id) caps = await client.getBridgeCapabilities(account.bridge.id).catch(() => undefined);
      const t = (m: string, ...a: Array<string | number>) => vscode.l10n.t(m, ...a);
      for (;;) {
        const text = await vscode.window.showInputBox({
          title: vscode.l10n.t('New Chat on {0}', untrustedLabel(accountNetwork(account), 60)),
          prompt: vscode.l10n.t('A phone number (with country code), a username or an email address'),
          placeHolder: '+15551234567',
          ignoreFocusOut: true,
          validateInput: (value) => {
            if (!value.trim()) return undefined;
            const id = classifyIdentifier(value);
            if (!id) return vscode.l10n.t('That is not a phone number, username or email address.');
            const verdict = canResolve(id.kind, caps, t);
            return verdict.ok ? undefined : verdict.reason;
          },
        });
        if (!text?.trim()) return undefined;
        const id = classifyIdentifier(text);
        if (!id || !canResolve(id.kind, caps, t).ok) continue;
        try {
          return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Starting the chat…') }, () =>
            startChat(client, account.accountID, id.kind === 'phone' ? { phoneNumber: id.value } : id.kind === 'email' ? { email: id.value } : { username: id.value.replace(/^@/, '') }),
          );
        } catch (e) {
          const again = vscode.l10n.t('Try Again');
          const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not start the chat, because: {0}', untrusted(describeError(e), 300)), again);
          if (choice !== again) return undefined;
        }
      }
    }),
  ];
}

type StartUser = { username?: string; phoneNumber?: string; email?: string; fullName?: string };

/**
 * The contact pick. Typing searches (debounced, the previous search cancelled); an empty query
 * pages the contact lists with "Load more…". Enter messages the contact; row buttons copy.
 * A failed start keeps the pick open and says why.
 */
function findContact(
  client: BeeperClient,
  accounts: Account[],
  startChat: (client: BeeperClient, accountID: string, user: User) => Promise<{ id: string }>,
): Promise<FindContactResult> {
  const result: FindContactResult = { searches: 0 };
  const pick = vscode.window.createQuickPick<ContactItem>();
  pick.title = accounts.length === 1 ? vscode.l10n.t('Find Contact on {0}', untrustedLabel(accountLabel(accounts[0]!), 80)) : vscode.l10n.t('Find Contact in all accounts');
  pick.placeholder = vscode.l10n.t('Type a name, username, phone or email');
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const copyButton = { iconPath: new vscode.ThemeIcon('copy'), tooltip: vscode.l10n.t('Copy ID') };
  const handleButton = { iconPath: new vscode.ThemeIcon('mention'), tooltip: vscode.l10n.t('Copy Handle/Phone/Email') };
  /** Cursors of the contact lists (empty query), per account; undefined once at the end. */
  const cursors = new Map<string, string | undefined>();
  let listed: ContactRow[] = [];
  let failures: ContactItem[] = [];
  let abort: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const networkOf = (a: Account) => accountNetwork(a);
  const render = (rows: ContactRow[], more: boolean, searched: boolean) => {
    const items: ContactItem[] = rows.map((row) => ({
      label: `${row.user.cannotMessage ? '$(circle-slash)' : '$(person)'} ${untrustedLabel(row.user.fullName || row.user.username || row.user.id, 100)}`,
      description: [contactHandle(row.user), row.network].filter(Boolean).map((s) => untrusted(s, 80)).join(' · '),
      detail: row.user.cannotMessage ? vscode.l10n.t('Beeper cannot start a chat with this person (blocked, or no direct-message path). They can still message you.') : undefined,
      buttons: [copyButton, ...(contactHandle(row.user) || row.user.email ? [handleButton] : [])],
      // Search results are the server's answer (it matches phones and emails too): all shown.
      // The plain list is filtered by VS Code as the user types, until the search answers.
      alwaysShow: searched,
      row,
    }));
    if (more) items.push({ label: `$(ellipsis) ${vscode.l10n.t('Load more…')}`, loadMore: true, alwaysShow: true });
    // Accounts that could not answer are listed after the people, so Enter takes the best match.
    pick.items = [...items, ...failures];
  };

  const run = async (query: string, append: boolean) => {
    abort?.abort();
    const controller = (abort = new AbortController());
    pick.busy = true;
    failures = [];
    const results = await Promise.all(
      accounts.map(async (account) => {
        try {
          if (query) {
            result.searches++;
            return { accountID: account.accountID, network: networkOf(account), users: await client.searchContacts(account.accountID, query, { signal: controller.signal }), more: false };
          }
          if (append && !cursors.has(account.accountID)) return { accountID: account.accountID, network: networkOf(account), users: [], more: false };
          const cursor = append ? cursors.get(account.accountID) : undefined;
          const page = await client.listContacts(account.accountID, { limit: LIST_PAGE, cursor, direction: cursor ? 'before' : undefined }, { signal: controller.signal });
          if (page.hasMore && page.oldestCursor) cursors.set(account.accountID, page.oldestCursor);
          else cursors.delete(account.accountID);
          return { accountID: account.accountID, network: networkOf(account), users: page.items, more: page.hasMore };
        } catch (e) {
          if (controller.signal.aborted) return undefined;
          cursors.delete(account.accountID);
          const why = e instanceof BeeperApiError && (e.kind === 'notFound' || e.status === 501) ? vscode.l10n.t('contacts are not available on this network') : describeError(e);
          failures.push({ label: `$(warning) ${untrustedLabel(networkOf(account), 60)}: ${untrusted(why, 200)}`, alwaysShow: true, description: untrustedLabel(accountLabel(account), 60) });
          return { accountID: account.accountID, network: networkOf(account), users: [], more: false };
        }
      }),
    );
    if (controller.signal.aborted) return;
    const ok = results.filter((r): r is NonNullable<typeof r> => r !== undefined);
    const rows = mergeContacts(ok);
    listed = query ? rows : append ? dedupeAppend(listed, rows) : rows;
    pick.busy = false;
    render(listed, !query && cursors.size > 0, query.length > 0);
  };

  let current: Promise<void> = Promise.resolve();
  const typed = (value: string) => {
    clearTimeout(timer);
    abort?.abort();
    // Busy from the first keystroke: the rows shown are about to be replaced by the search's.
    pick.busy = true;
    timer = setTimeout(() => void (current = run(value.trim(), false)), SEARCH_DEBOUNCE_MS);
  };
  const accept = async (item: ContactItem | undefined) => {
    if (!item) return;
    if (item.loadMore) return void (await (current = run('', true)));
    if (!item.row) return;
    if (item.row.user.cannotMessage) {
      pick.title = vscode.l10n.t('{0} cannot be messaged from Beeper', untrustedLabel(item.row.user.fullName || item.row.user.id, 80));
      return;
    }
    pick.busy = true;
    pick.enabled = false;
    try {
      const chat = await startChat(client, item.row.accountID, item.row.user);
      result.chatID = chat.id;
      pick.hide();
    } catch (e) {
      // The pick stays, with what went wrong.
      pick.title = vscode.l10n.t('Could not start the chat: {0}', untrusted(describeError(e), 200));
    } finally {
      pick.busy = false;
      pick.enabled = true;
    }
  };
  const handle: ContactPickHandle = {
    pick,
    type: typed,
    accept,
    idle: async () => {
      // A pending debounce first, then the search or page it started.
      await new Promise((r) => setTimeout(r, SEARCH_DEBOUNCE_MS + 30));
      await current;
    },
  };
  activeContactPick = handle;

  return new Promise<FindContactResult>((resolve) => {
    pick.onDidChangeValue(typed);
    pick.onDidTriggerItemButton(async (e) => {
      const user = e.item.row?.user;
      if (!user) return;
      const value = e.button === copyButton ? user.id : (copyableOf(user).find(([k]) => k !== 'id')?.[1] ?? user.id);
      await vscode.env.clipboard.writeText(value);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', untrusted(value, 100)), 3000);
    });
    pick.onDidAccept(() => void accept(pick.selectedItems[0]));
    pick.onDidHide(() => {
      clearTimeout(timer);
      abort?.abort();
      if (activeContactPick === handle) activeContactPick = undefined;
      pick.dispose();
      resolve(result);
    });
    pick.show();
    current = run('', false);
  });
}

function dedupeAppend(existing: ContactRow[], more: ContactRow[]): ContactRow[] {
  const seen = new Set(existing.map((r) => r.user.id));
  return [...existing, ...more.filter((r) => !seen.has(r.user.id))];
}
