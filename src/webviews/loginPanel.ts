// The panel of a login's display step: a QR code drawn locally, an emoji to confirm, or a
// waiting message. A refreshed code replaces the old one in place (a message, not a reload).
// Closing the panel cancels the login. Not restored after a reload: the login ended with it.
import { nextTurn } from '../api/nextTurn';
import * as vscode from 'vscode';
import type { DisplayAndWaitStep } from '../api/types';
import { loadQr } from '../login/qrLoader';
import { classifyImageUrl, displayText } from './html';
import { pageFrame, panelOptions } from './panelFrame';
import { WebviewPanelBase } from './panelBase';
import type { LoginPageRequest, LoginPageUpdate } from './protocol';
import { loginRequestValidators } from './validate';
import { loginDisplayHtml, type LoginDisplayModel } from './loginHtml';
import { setting } from '../host/settings';

const LOGIN_PANEL_VIEW_TYPE = 'beeper.login';

/** Panels the extension is closing itself: their disposal is not a cancel. */
const closing = new WeakSet<vscode.WebviewPanel>();

/** The page of one login display: replays the current display on every `ready`. */
class LoginPage extends WebviewPanelBase<LoginPageRequest, LoginPageUpdate> {
  constructor(
    panel: vscode.WebviewPanel,
    private readonly current: () => LoginDisplayModel | undefined,
    private readonly onCancel: () => void,
  ) {
    super(panel, loginRequestValidators);
  }

  show(html: string | undefined, model: LoginDisplayModel): void {
    if (html !== undefined) this.setHtml(html);
    else this.post({ type: 'display', ...model });
  }

  /** A code refreshed while the tab was hidden is the one shown when it comes back. */
  protected replay(): void {
    const model = this.current();
    if (model) this.post({ type: 'display', ...model });
  }

  protected onRequest(m: LoginPageRequest): void {
    if (m.type === 'cancel') this.onCancel();
  }
}

export class LoginDisplayPanel implements vscode.Disposable {
  private page: LoginPage | undefined;
  /** What the page shows now (read through the testing port), and when it was last drawn. */
  model: LoginDisplayModel | undefined;
  shownAt = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly title: string,
    /** Called when the user closes the panel or presses its Cancel button. */
    private readonly onUserCancel: () => void,
  ) {}

  get webviewPanel(): vscode.WebviewPanel | undefined {
    return this.page?.panel;
  }

  /** The HTML last given to the page (read through the testing port). */
  get html(): string {
    return this.page?.html ?? '';
  }

  async show(step: DisplayAndWaitStep): Promise<void> {
    const model = await this.modelFor(step);
    this.model = model;
    if (!this.page) {
      const panel = vscode.window.createWebviewPanel(LOGIN_PANEL_VIEW_TYPE, this.title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, panelOptions(this.extensionUri));
      panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'beeper.svg');
      const page = (this.page = new LoginPage(panel, () => this.model, () => this.onUserCancel()));
      // The shell carries no image: the code (tens of KB as a data: URL) comes as the first message
      // after `ready`. Setting it in the HTML made VS Code serialize it with the HTML, a 40 ms block.
      page.show(loginDisplayHtml(pageFrame(panel.webview, this.extensionUri, 'login', this.remoteImages()), { ...model, imageSrc: undefined }), model);
      this.disposables.push(
        page,
        panel.onDidDispose(() => {
          if (this.page === page) this.page = undefined;
          page.dispose();
          if (!closing.has(panel)) this.onUserCancel();
        }),
      );
    } else {
      this.page.show(undefined, model);
      this.page.panel.reveal(undefined, true);
    }
    this.shownAt = Date.now();
  }

  private remoteImages(): boolean {
    return setting('loadRemoteImages');
  }

  /** What the page shows, cleaned like the first render: the in-place updates carry the same text. */
  private async modelFor(step: DisplayAndWaitStep): Promise<LoginDisplayModel> {
    const model = await this.rawModelFor(step);
    return { ...model, heading: displayText(model.heading, 200), instructions: displayText(model.instructions, 2000), alt: displayText(model.alt, 200) };
  }

  private async rawModelFor(step: DisplayAndWaitStep): Promise<LoginDisplayModel> {
    const heading = this.title;
    const display = step.display;
    if (display.type === 'qr') {
      // The first code loads the encoder bundle (compiling it); the code is made in the next turn,
      // so that the two are not one long stretch of the extension host (35 ms in a profile).
      const qr = loadQr();
      await nextTurn();
      const svg = await qr.qrSvg(display.data);
      return {
        kind: 'qr',
        imageSrc: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
        alt: vscode.l10n.t('QR code to scan with your phone'),
        heading,
        instructions: step.instructions ?? vscode.l10n.t('Scan this code with the app on your phone.'),
      };
    }
    if (display.type === 'emoji') {
      const source = classifyImageUrl(display.imageURL, this.remoteImages());
      return {
        kind: 'emoji',
        imageSrc: source.kind === 'url' ? source.url : undefined,
        alt: vscode.l10n.t('The emoji to confirm on your phone'),
        heading,
        instructions: step.instructions ?? vscode.l10n.t('Confirm the matching emoji on your phone.'),
      };
    }
    return { kind: 'nothing', alt: '', heading, instructions: step.instructions ?? vscode.l10n.t('Waiting for the sign-in to finish…') };
  }

  close(): void {
    const panel = this.page?.panel;
    if (panel) closing.add(panel);
    this.page = undefined;
    panel?.dispose();
  }

  dispose(): void {
    this.close();
    for (const d of this.disposables) d.dispose();
  }
}
