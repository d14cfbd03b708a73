// What every Beeper webview panel shares: the options (scripts on; only the extension's media
// folder and page bundles readable) and the frame its page is built in (CSP source, a fresh
// nonce, the page's own bundle, the stylesheet, l10n).
import * as vscode from 'vscode';
import { makeNonce, type PageFrame } from './html';

export type PageScript = 'chat' | 'login' | 'bridge';

export function panelOptions(extensionUri: vscode.Uri, extraRoots: vscode.Uri[] = []): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), ...extraRoots],
  };
}

export function pageFrame(webview: vscode.Webview, extensionUri: vscode.Uri, script: PageScript, remoteImages: boolean): PageFrame {
  return {
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    remoteImages,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${script}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css')).toString(),
    t: (message, ...args) => vscode.l10n.t(message, ...args),
  };
}
