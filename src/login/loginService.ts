// The VS Code side of a login: picks (bridge, flow), the progress notification, input boxes, the
// display panel, and what happens at the end (message, tree refresh, reveal). The session logic
// itself is runLogin (pure). Open logins are cancelled on the server when the window closes.
import * as vscode from 'vscode';
import { BeeperApiError, describeError } from '../api/errors';
import type { Account, Bridge, CookiesStep, LoginFlow } from '../api/types';
import type { ConnectionService } from '../connection/connectionService';
import { accountLabel, accountNetwork, humanize } from '../model/labels';
import { untrusted, untrustedLabel } from '../text/untrusted';
import { LoginDisplayPanel } from '../webviews/loginPanel';
import { DEFAULT_LOGIN_DEADLINE_MS, runLogin, type CookieRequest, type FieldRequest, type LoginOutcome, type LoginProgress, type LoginPrompter } from './stepMachine';
import { setting } from '../host/settings';

/** Bridges that cannot take a new account, whatever the user picks. */
const UNAVAILABLE = new Set(['limit_reached', 'temporarily_unavailable', 'disabled']);

export function bridgeUnavailableReason(bridge: Pick<Bridge, 'status' | 'statusText'>): string | undefined {
  if (!UNAVAILABLE.has(bridge.status)) return undefined;
  return bridge.statusText || humanize(bridge.status);
}

export interface InputRequest {
  title: string;
  prompt: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  optional?: boolean;
  error?: string;
  /** A button on the box, e.g. "Open sign-in page". */
  button?: { tooltip: string; icon: string; run: () => void };
}

/**
 * The blocking dialogs of a login. The real ones are an input box and a quick pick, both closed
 * when the login's signal fires (a modal could not be). The integration tests swap in scripted
 * answers here (and only here): everything else stays real.
 */
export interface LoginDialogs {
  input(request: InputRequest, signal: AbortSignal): Promise<string | undefined>;
  /** One of `actions`, or undefined when dismissed. `detail` is server text, already cleaned. */
  confirm(message: string, detail: string, actions: string[], signal: AbortSignal): Promise<string | undefined>;
}

const vscodeDialogs: LoginDialogs = {
  input: (request, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve(undefined);
      const box = vscode.window.createInputBox();
      const onAbort = () => box.hide();
      signal.addEventListener('abort', onAbort, { once: true });
      box.title = request.title;
      box.prompt = request.prompt;
      box.placeholder = request.placeholder;
      box.value = request.value ?? '';
      box.password = !!request.password;
      box.ignoreFocusOut = true;
      if (request.error) box.validationMessage = { message: request.error, severity: vscode.InputBoxValidationSeverity.Error };
      if (request.button) {
        const button = { iconPath: new vscode.ThemeIcon(request.button.icon), tooltip: request.button.tooltip };
        box.buttons = [button];
        box.onDidTriggerButton(() => request.button!.run());
      }
      let done = false;
      box.onDidChangeValue(() => {
        box.validationMessage = undefined;
      });
      box.onDidAccept(() => {
        if (!request.optional && !box.value.trim()) {
          box.validationMessage = vscode.l10n.t('This field is required.');
          return;
        }
        done = true;
        resolve(box.value);
        box.hide();
      });
      box.onDidHide(() => {
        signal.removeEventListener('abort', onAbort);
        if (!done) resolve(undefined);
        box.dispose();
      });
      box.show();
    }),
  confirm: (message, detail, actions, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve(undefined);
      const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
      pick.title = message;
      pick.placeholder = detail.split('\n')[0];
      pick.ignoreFocusOut = true;
      pick.items = actions.map((label, i) => ({ label, detail: i === 0 ? detail : undefined }));
      let chosen: string | undefined;
      const onAbort = () => pick.hide();
      signal.addEventListener('abort', onAbort, { once: true });
      pick.onDidAccept(() => {
        chosen = pick.selectedItems[0]?.label;
        pick.hide();
      });
      pick.onDidHide(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(chosen);
        pick.dispose();
      });
      pick.show();
    }),
};

export interface LoginRequest {
  bridge: Pick<Bridge, 'id' | 'displayName'>;
  flowID?: string;
  /** Reconnect: the account to repair. */
  account?: Account;
}

export interface LoginResult {
  outcome: LoginOutcome;
  /** From the QR step arriving to it being on screen (ms), when there was one. */
  qrShownMs?: number;
  /** GET polls of the session while a code was displayed, and the time they spanned. */
  polls: number;
  pollSpanMs: number;
}

export class LoginService implements vscode.Disposable {
  /** Replaced by the integration tests with scripted answers. */
  dialogs: LoginDialogs = vscodeDialogs;
  /** The whole login's limit (tests shorten it). */
  deadlineMs = DEFAULT_LOGIN_DEADLINE_MS;
  private readonly running = new Set<{ abort: AbortController; done: Promise<unknown> }>();
  /** Sessions whose create answered after the login had stopped: cancelled in the background. */
  private readonly lateCleanups = new Set<Promise<void>>();
  /** The display panel of the login in progress (tests read it). */
  activePanel: LoginDisplayPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly connection: ConnectionService,
  ) {}

  /** Lets the user pick a bridge that can take a new account (those that cannot are shown with why). */
  async pickBridge(): Promise<Bridge | undefined> {
    let bridges: Bridge[];
    try {
      bridges = await (await this.connection.client()).listBridges();
    } catch (e) {
      void vscode.window.showErrorMessage(
        e instanceof BeeperApiError && e.kind === 'featureUnavailable'
          ? vscode.l10n.t('This version of Beeper Desktop cannot add chat accounts from other apps. Update Beeper Desktop, or add the account in Beeper Desktop itself.')
          : vscode.l10n.t('Beeper: could not list the chat networks, because: {0}', untrusted(describeError(e), 600)),
      );
      return undefined;
    }
    type Item = vscode.QuickPickItem & { bridge?: Bridge };
    const available = bridges.filter((b) => !bridgeUnavailableReason(b)).sort((a, b) => a.displayName.localeCompare(b.displayName));
    const unavailable = bridges.filter((b) => bridgeUnavailableReason(b)).sort((a, b) => a.displayName.localeCompare(b.displayName));
    const item = (b: Bridge): Item => {
      const reason = bridgeUnavailableReason(b);
      const count = b.accounts.length;
      return {
        label: `${reason ? '$(circle-slash)' : '$(add)'} ${untrustedLabel(b.displayName, 100)}`,
        description: [untrusted(humanize(b.provider), 40), count ? vscode.l10n.t('{0} signed in', count) : undefined].filter(Boolean).join(' · '),
        detail: reason ? vscode.l10n.t('Cannot add: {0}', untrusted(reason)) : b.statusText ? untrusted(b.statusText) : undefined,
        bridge: b,
      };
    };
    const items: Item[] = [...available.map(item)];
    if (unavailable.length) items.push({ label: vscode.l10n.t('Unavailable'), kind: vscode.QuickPickItemKind.Separator }, ...unavailable.map(item));
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = vscode.l10n.t('Add a Chat Account');
    pick.placeholder = vscode.l10n.t('Pick the chat network to sign in to');
    pick.items = items;
    pick.matchOnDescription = true;
    return new Promise<Bridge | undefined>((resolve) => {
      let chosen: Bridge | undefined;
      pick.onDidAccept(() => {
        const bridge = pick.selectedItems[0]?.bridge;
        if (!bridge) return;
        const reason = bridgeUnavailableReason(bridge);
        if (reason) {
          // Shown but not pickable: say why and keep the list open.
          void vscode.window.showWarningMessage(vscode.l10n.t('{0} cannot take a new account: {1}', untrustedLabel(bridge.displayName, 100), untrusted(reason)));
          return;
        }
        chosen = bridge;
        pick.hide();
      });
      pick.onDidHide(() => {
        resolve(chosen);
        pick.dispose();
      });
      pick.show();
    });
  }

  /** The login flow to use: asked only when the bridge offers more than one. */
  async pickFlow(bridge: Pick<Bridge, 'id' | 'displayName'>): Promise<LoginFlow | undefined | 'none'> {
    let flows: LoginFlow[];
    try {
      flows = await (await this.connection.client()).listLoginFlows(bridge.id);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not read how to sign in to {0}, because: {1}', untrustedLabel(bridge.displayName, 100), untrusted(describeError(e), 600)));
      return undefined;
    }
    if (flows.length === 0) return 'none';
    if (flows.length === 1) return flows[0];
    const choice = await vscode.window.showQuickPick(
      flows.map((f) => ({ label: untrustedLabel(f.name ?? f.id, 100), detail: f.description ? untrusted(f.description) : undefined, flow: f })),
      { title: vscode.l10n.t('Sign in to {0}', untrustedLabel(bridge.displayName, 100)), placeHolder: vscode.l10n.t('How do you want to sign in?') },
    );
    return choice?.flow;
  }

  /** Runs one login to its end with a cancellable progress notification. */
  async run(request: LoginRequest): Promise<LoginResult> {
    const abort = new AbortController();
    let client: Awaited<ReturnType<ConnectionService['client']>>;
    try {
      client = await this.connection.client();
    } catch (e) {
      return { outcome: { status: 'error', error: e, sessionLeftOpen: false }, polls: 0, pollSpanMs: 0 };
    }
    const title = request.account
      ? vscode.l10n.t('Reconnect {0} ({1})', untrustedLabel(accountLabel(request.account), 100), untrustedLabel(request.bridge.displayName, 100))
      : vscode.l10n.t('Add {0} account', untrustedLabel(request.bridge.displayName, 100));
    const stats = { qrStepAt: 0, qrShownMs: undefined as number | undefined, polls: 0, pollStart: 0, pollEnd: 0 };
    const panel = new LoginDisplayPanel(this.extensionUri, title, () => abort.abort());
    this.activePanel = panel;
    const counted = {
      createLoginSession: client.createLoginSession.bind(client),
      submitLoginStep: client.submitLoginStep.bind(client),
      cancelLoginSession: client.cancelLoginSession.bind(client),
      getLoginSession: (bridgeID: string, id: string, opts?: { signal?: AbortSignal }) => {
        if (panel.webviewPanel) {
          stats.polls++;
          stats.pollStart ||= Date.now();
          stats.pollEnd = Date.now();
        }
        return client.getLoginSession(bridgeID, id, opts);
      },
    };

    const work: Promise<LoginOutcome> = Promise.resolve(vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        const prompter = this.prompter(title, panel, progress, stats);
        return runLogin({
          api: counted,
          prompter,
          bridgeID: request.bridge.id,
          session: request.account ? { accountID: request.account.accountID, loginID: request.account.loginID, flowID: request.flowID } : { flowID: request.flowID },
          signal: abort.signal,
          createTimeoutMs: setting('requestTimeoutSeconds') * 1000,
          deadlineMs: this.deadlineMs,
          onLateCleanup: (cleanup) => {
            this.lateCleanups.add(cleanup);
            void cleanup.finally(() => this.lateCleanups.delete(cleanup));
          },
        });
      },
    ));
    const entry = { abort, done: work };
    this.running.add(entry);
    let outcome: LoginOutcome;
    try {
      outcome = await work;
    } finally {
      this.running.delete(entry);
      panel.dispose();
      if (this.activePanel === panel) this.activePanel = undefined;
    }
    return { outcome, qrShownMs: stats.qrShownMs, polls: stats.polls, pollSpanMs: stats.pollEnd - stats.pollStart };
  }

  private prompter(
    title: string,
    panel: LoginDisplayPanel,
    progress: vscode.Progress<{ message?: string }>,
    stats: { qrStepAt: number; qrShownMs: number | undefined },
  ): LoginPrompter {
    const stepTitle = (index: number, count: number) => (count > 1 ? `${title} (${index + 1}/${count})` : title);
    return {
      askField: (r: FieldRequest, signal: AbortSignal) =>
        this.dialogs.input(
          {
            title: stepTitle(r.index, r.count),
            prompt: [r.field.label, r.index === 0 ? r.step.instructions : undefined].filter(Boolean).map((p) => untrusted(p, 500)).join(' — '),
            placeholder: r.field.placeholder === undefined ? undefined : untrusted(r.field.placeholder, 200),
            value: r.field.initialValue,
            password: r.field.type === 'password',
            optional: r.field.optional,
            error: r.error === undefined ? undefined : untrusted(r.error, 500),
          },
          signal,
        ),
      beginCookies: async (step: CookiesStep, error: string | undefined, signal: AbortSignal) => {
        const open = vscode.l10n.t('Open Sign-in Page');
        const enter = vscode.l10n.t('Enter Values');
        const detail = [step.instructions && untrusted(step.instructions, 1000), error && vscode.l10n.t('Last attempt: {0}', untrusted(error, 500)), vscode.l10n.t('Sign-in page: {0}', untrusted(step.url, 300))]
          .filter(Boolean)
          .join('\n');
        const choice = await this.dialogs.confirm(title, detail, [open, enter], signal);
        if (choice === open) await openUrl(step.url);
        return choice === open || choice === enter;
      },
      askCookie: (r: CookieRequest, signal: AbortSignal) => {
        const name = untrusted(r.field.name ?? r.field.id, 100);
        const where =
          r.field.type === 'local_storage'
            ? vscode.l10n.t('the local-storage value “{0}”', name)
            : r.field.type === 'header'
              ? vscode.l10n.t('the request header “{0}”', name)
              : vscode.l10n.t('the cookie “{0}”', name);
        return this.dialogs.input(
          {
            title: stepTitle(r.index, r.count),
            prompt: vscode.l10n.t('Paste {0} from your browser’s developer tools after signing in.', where),
            password: true,
            error: r.error === undefined ? undefined : untrusted(r.error, 500),
            button: { tooltip: vscode.l10n.t('Open sign-in page'), icon: 'link-external', run: () => void openUrl(r.step.url) },
          },
          signal,
        );
      },
      showDisplay: async (step) => {
        const first = step.display.type === 'qr' && !stats.qrStepAt;
        if (first) stats.qrStepAt = performance.now();
        await panel.show(step);
        if (first) stats.qrShownMs = performance.now() - stats.qrStepAt;
      },
      closeDisplay: () => panel.close(),
      progress: (status) => progress.report({ message: progressText(status) }),
    };
  }

  /** Logins in progress, and late creates still to be cancelled (tests read it). */
  get busy(): number {
    return this.running.size + this.lateCleanups.size;
  }

  /** Cancels every login in progress (the window is closing) and waits briefly for the DELETEs. */
  async cancelAll(): Promise<void> {
    const pending = [...this.running];
    for (const r of pending) r.abort.abort();
    await Promise.race([Promise.allSettled([...pending.map((r) => r.done), ...this.lateCleanups]), new Promise((r) => setTimeout(r, 4_000))]);
  }

  dispose(): void {
    void this.cancelAll();
  }
}

async function openUrl(url: string): Promise<void> {
  // Only web pages: a step cannot make us open file:, command: or other schemes.
  if (!/^https?:\/\//i.test(url)) return;
  await vscode.env.openExternal(vscode.Uri.parse(url));
}

export function describeAccount(account: Account | undefined, fallbackNetwork: string): string {
  if (!account) return fallbackNetwork;
  // accountNetwork already prefers account.network.
  return `${accountLabel(account)} (${accountNetwork(account) || fallbackNetwork})`;
}

/** What a waiting login says, in the user's language. */
function progressText(status: LoginProgress): string {
  switch (status) {
    case 'retryingCancel':
      return vscode.l10n.t('Beeper Desktop is not answering; retrying the cancel…');
    case 'reconnecting':
      return vscode.l10n.t('Lost the connection to Beeper Desktop; reconnecting…');
    case 'waitingForScan':
      return vscode.l10n.t('Waiting for the code to be scanned…');
    case 'waitingForPhone':
      return vscode.l10n.t('Waiting for your phone…');
  }
}
