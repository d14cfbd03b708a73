// The panel of a login's display step: a QR code drawn locally, an emoji to confirm, or a
// waiting message. A refreshed code replaces the old one in place (a message, not a reload).
// Closing the panel cancels the login. Not restored after a reload: the login ended with it.
import * as vscode from 'vscode';
import type { DisplayAndWaitStep } from '../api/types';
import { loadQr } from '../login/qrLoader';
import { classifyImageUrl, displayText } from './html';
import { pageFrame, panelOptions } from './panelFrame';
import { loginDisplayHtml, type LoginDisplayModel } from './loginHtml';

const LOGIN_PANEL_VIEW_TYPE = 'beeper.login';

/** Panels the extension is closing itself: their disposal is not a cancel. */
const closing = new WeakSet<vscode.WebviewPanel>();

export class LoginDisplayPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** What the page shows now (tests read it), and when it was last drawn. */
  model: LoginDisplayModel | undefined;
  html = '';
  shownAt = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly title: string,
    /** Called when the user closes the panel or presses its Cancel button. */
    private readonly onUserCancel: () => void,
  ) {}

  get webviewPanel(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  async show(step: DisplayAndWaitStep): Promise<void> {
    const model = await this.modelFor(step);
    this.model = model;
    if (!this.panel) {
      const panel = (this.panel = vscode.window.createWebviewPanel(LOGIN_PANEL_VIEW_TYPE, this.title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, panelOptions(this.extensionUri)));
      this.panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'beeper.svg');
      const webview = this.panel.webview;
      this.html = loginDisplayHtml(pageFrame(webview, this.extensionUri, 'login', this.remoteImages()), model);
      webview.html = this.html;
      this.disposables.push(
        webview.onDidReceiveMessage((m: { type?: string }) => {
          if (m?.type === 'cancel') this.onUserCancel();
        }),
        panel.onDidDispose(() => {
          if (this.panel === panel) this.panel = undefined;
          if (!closing.has(panel)) this.onUserCancel();
        }),
      );
    } else {
      await this.panel.webview.postMessage({ type: 'display', ...model });
      this.panel.reveal(undefined, true);
    }
    this.shownAt = Date.now();
  }

  private remoteImages(): boolean {
    return vscode.workspace.getConfiguration('beeper').get<boolean>('loadRemoteImages') ?? true;
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
      const svg = await loadQr().qrSvg(display.data);
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
    if (this.panel) closing.add(this.panel);
    this.panel?.dispose();
    this.panel = undefined;
  }

  dispose(): void {
    this.close();
    for (const d of this.disposables) d.dispose();
  }
}
