// Adding and repairing chat accounts, and the account-health quick pick behind the status bar.
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { Account, Bridge } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import { bridgeUnavailableReason, describeAccount, type LoginResult, type LoginService } from '../login/loginService';
import { sortForAttention } from '../model/health';
import { accountLabel, accountNetwork, canReconnect, humanize, type BridgeGroup } from '../model/labels';
import type { ModelLoader } from '../model/loader';
import type { BeeperModel } from '../model/model';
import type { TreeNode } from '../tree/nodes';
import { untrusted, untrustedLabel } from '../text/untrusted';
import { ensureConnected } from './guard';

type BridgeArg = TreeNode | { bridgeID?: string; flowID?: string } | undefined;
type AccountArg = TreeNode | { accountID?: string; flowID?: string } | string | undefined;

export function registerAccountCommands(
  connection: ConnectionService,
  model: BeeperModel,
  loader: ModelLoader,
  /** Shows an account's row in the tree (a view action; the data comes from the model). */
  revealAccount: (accountID: string, options: { focus: boolean; expand: boolean }) => Promise<void>,
  logins: LoginService,
): vscode.Disposable[] {
  /** Bridges and accounts in the model; false when they could not be read (the view says why). */
  const accountsRead = (again = false): Promise<boolean> =>
    (again ? loader.reloadAccounts() : loader.ensureAccounts()).then(
      () => true,
      () => false,
    );
  /** What the user sees at the end, and the tree brought up to date. */
  const finish = async (result: LoginResult, bridgeName: string, reconnecting: Account | undefined): Promise<void> => {
    const outcome = result.outcome;
    switch (outcome.status) {
      case 'complete': {
        const account = outcome.account ?? reconnecting;
        await accountsRead(true);
        if (account) await revealAccount(account.accountID, { focus: false, expand: false });
        void vscode.window.showInformationMessage(
          reconnecting
            ? vscode.l10n.t('Reconnected {0}.', untrusted(describeAccount(account, bridgeName), 200))
            : vscode.l10n.t('Added {0}.', untrusted(describeAccount(account, bridgeName), 200)),
        );
        return;
      }
      case 'failed':
        void accountsRead(true);
        void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not sign in to {0}, because: {1} ({2}). Try again with Add Chat Account, or sign in from Beeper Desktop.', untrustedLabel(bridgeName, 100), untrusted(outcome.error.message, 600), untrusted(outcome.error.code, 80)));
        return;
      case 'cancelled':
        vscode.window.setStatusBarMessage(vscode.l10n.t('Sign-in to {0} cancelled.', untrustedLabel(bridgeName, 100)), 5000);
        return;
      case 'error':
        void vscode.window.showErrorMessage(
          outcome.sessionLeftOpen
            ? vscode.l10n.t('Sign-in to {0} stopped: {1} Beeper Desktop could not be reached to close the sign-in; it will expire on its own.', untrustedLabel(bridgeName, 100), untrusted(describeError(outcome.error), 600))
            : vscode.l10n.t('Sign-in to {0} stopped: {1}', untrustedLabel(bridgeName, 100), untrusted(describeError(outcome.error), 600)),
        );
        return;
    }
  };

  const findBridge = async (bridgeID: string): Promise<Pick<Bridge, 'id' | 'displayName' | 'status' | 'statusText'> | undefined> => {
    const known = model.groups.find((g) => g.id === bridgeID);
    if (known && !known.fallback) return { id: known.id, displayName: known.displayName, status: known.status as Bridge['status'], statusText: known.statusText };
    try {
      return await (await connection.client()).getBridge(bridgeID);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not find the network {0}, because: {1}', untrusted(bridgeID, 100), untrusted(describeError(e), 600)));
      return undefined;
    }
  };

  const reconnect = async (account: Account, flowID?: string): Promise<LoginResult | undefined> => {
    const bridgeID = account.bridge?.id ?? model.groups.find((g) => g.accounts.some((a) => a.accountID === account.accountID))?.id;
    if (!bridgeID) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: this version of Beeper Desktop does not say which bridge {0} uses, so it cannot be reconnected from here.', untrustedLabel(accountLabel(account), 100)));
      return undefined;
    }
    const bridge = (await findBridge(bridgeID)) ?? { id: bridgeID, displayName: accountNetwork(account) };
    let chosenFlow = flowID;
    if (!chosenFlow) {
      const flow = await logins.pickFlow(bridge);
      if (flow === undefined) return undefined;
      chosenFlow = flow === 'none' ? undefined : flow.id;
    }
    const result = await logins.run({ bridge, flowID: chosenFlow, account });
    await finish(result, bridge.displayName, account);
    return result;
  };

  const accountFrom = (arg: AccountArg): Account | undefined => {
    if (arg && typeof arg === 'object' && 'kind' in arg) return arg.kind === 'account' ? arg.account : undefined;
    const id = typeof arg === 'string' ? arg : arg?.accountID;
    return id ? model.accounts.find((a) => a.accountID === id) : undefined;
  };

  return [
    vscode.commands.registerCommand('beeper.addAccount', async (arg?: BridgeArg): Promise<LoginResult | undefined> => {
      if (!(await ensureConnected(connection))) return undefined;
      let bridge: Pick<Bridge, 'id' | 'displayName' | 'status' | 'statusText'> | undefined;
      let flowID: string | undefined;
      if (arg && 'kind' in arg) {
        if (arg.kind === 'bridge') bridge = await findBridge(arg.group.id);
      } else if (arg?.bridgeID) {
        bridge = await findBridge(arg.bridgeID);
        flowID = arg.flowID;
      }
      if (!bridge && !(arg && ('kind' in arg || arg.bridgeID))) bridge = await logins.pickBridge();
      if (!bridge) return undefined;
      const reason = bridge.status ? bridgeUnavailableReason({ status: bridge.status, statusText: bridge.statusText }) : undefined;
      if (reason) {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} cannot take a new account: {1}', untrustedLabel(bridge.displayName, 100), untrusted(reason)));
        return undefined;
      }
      if (!flowID) {
        const flow = await logins.pickFlow(bridge);
        if (flow === undefined) return undefined;
        flowID = flow === 'none' ? undefined : flow.id;
      }
      const result = await logins.run({ bridge, flowID });
      await finish(result, bridge.displayName, undefined);
      return result;
    }),

    vscode.commands.registerCommand('beeper.reconnectAccount', async (arg?: AccountArg): Promise<LoginResult | undefined> => {
      if (!(await ensureConnected(connection))) return undefined;
      await accountsRead();
      let account = accountFrom(arg);
      if (!account && arg === undefined) account = await pickAccount(model.groups, true);
      if (!account) return undefined;
      return reconnect(account, typeof arg === 'object' && arg && !('kind' in arg) ? arg.flowID : undefined);
    }),

    vscode.commands.registerCommand('beeper.showAccountHealth', async () => {
      if (connection.state === 'signedOut' || connection.state === 'unauthorized') return vscode.commands.executeCommand('beeper.connect');
      if (connection.state === 'unreachable') {
        await vscode.commands.executeCommand('workbench.view.extension.beeper');
        return vscode.commands.executeCommand('beeper.refresh');
      }
      await accountsRead();
      const accounts = model.accounts;
      if (!accounts.some((a) => canReconnect(a.status))) {
        // Nothing needs the user: show the accounts where they live.
        await vscode.commands.executeCommand('workbench.view.extension.beeper');
        return undefined;
      }
      const account = await pickAccount(model.groups, false);
      if (!account) return undefined;
      if (canReconnect(account.status)) return reconnect(account);
      await vscode.commands.executeCommand('workbench.view.extension.beeper');
      await revealAccount(account.accountID, { focus: true, expand: true });
      return undefined;
    }),
  ];
}

/** A quick pick of accounts, those needing action first, each saying what it needs. */
async function pickAccount(groups: readonly BridgeGroup[], onlyReconnectable: boolean): Promise<Account | undefined> {
  const accounts = sortForAttention(groups.flatMap((g) => g.accounts)).filter((a) => !onlyReconnectable || canReconnect(a.status));
  if (accounts.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No account needs reconnecting.'));
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(
    accounts.map((account) => {
      const action = canReconnect(account.status);
      const statusText = account.statusText ? untrusted(account.statusText) : undefined;
      return {
        label: `${action ? '$(warning)' : '$(pass)'} ${untrustedLabel(accountLabel(account), 100)}`,
        description: [accountNetwork(account), account.status ? humanize(account.status) : undefined].filter(Boolean).map((t) => untrusted(t, 80)).join(' · '),
        detail: action ? `${statusText ?? ''}${statusText ? ' — ' : ''}${vscode.l10n.t('Select to reconnect')}` : statusText,
        account,
      };
    }),
    { title: vscode.l10n.t('Beeper Account Health'), placeHolder: vscode.l10n.t('Accounts that need you come first'), matchOnDescription: true, matchOnDetail: true },
  );
  return choice?.account;
}
