// What can be done to one message of an open chat: react, edit, delete, copy its text, open a
// link from it (after the user saw its real URL), save an attachment, open it in Beeper. Each
// action is one API call; the message is read again and the window updated from the answer.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../api/errors';
import type { BeeperClient } from '../api/client';
import type { ChatCapabilities, Message } from '../api/types';
import { isLocal } from '../model/conversation';
import { MAX_MESSAGE_CHARS, safeFileName, saveFolder } from '../text/format';
import { untrusted } from '../text/untrusted';
import { assetKeyOf } from './messageView';
import { linkTarget, mailAddress } from './sanitizeRules';

/** What the actions need of the panel they act in. */
export interface ChatActionHost {
  readonly chatID: string;
  client(): Promise<BeeperClient>;
  message(id: string): Message | undefined;
  selfIDs(): ReadonlySet<string>;
  /** The window takes this message as it is now / loses it. */
  upsert(message: Message): void;
  remove(id: string): void;
  htmlToText(html: string, maxChars?: number): string;
  /** The chat's capabilities (reactions, delete for me, edit and delete limits). */
  caps(): ChatCapabilities | undefined;
  log: { debug(message: string): void };
}

export class ChatActions {
  constructor(private readonly host: ChatActionHost) {}

  private async refreshMessage(client: BeeperClient, id: string): Promise<void> {
    // The socket event brings the change anyway; this read only makes it show sooner.
    const m = await client.getMessage(this.host.chatID, id).catch((e: unknown) => void this.host.log.debug(`A message could not be read again: ${describeError(e)}`));
    if (m) this.host.upsert(m);
  }

  async react(id: string, key: string): Promise<void> {
    const m = this.host.message(id);
    if (!m || isLocal(id)) return;
    const self = this.host.selfIDs();
    const mine = m.reactions?.some((r) => r.reactionKey === key && self.has(r.participantID));
    await this.act(vscode.l10n.t('Could not react'), async (client) => {
      if (mine) await client.removeReaction(this.host.chatID, id, key);
      else await client.addReaction(this.host.chatID, id, key);
      await this.refreshMessage(client, id);
    });
  }

  async pickReaction(id: string): Promise<void> {
    const caps = this.host.caps();
    if (caps?.reaction !== undefined && caps.reaction <= 0) return;
    if (caps?.allowedReactions?.length) {
      // The network takes only these: a pick of them, never free text it would refuse.
      const picked = await vscode.window.showQuickPick(caps.allowedReactions.slice(0, 100).map((r) => ({ label: untrusted(r, 16) || '?', key: r })), { title: vscode.l10n.t('React with…'), placeHolder: vscode.l10n.t('This network takes these reactions') });
      if (picked) await this.react(id, picked.key);
      return;
    }
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('React with any emoji'),
      prompt: vscode.l10n.t('Type or paste one emoji (Win+. or Ctrl+Cmd+Space opens the emoji picker).'),
      validateInput: (v) => (!v.trim() ? vscode.l10n.t('Type an emoji.') : Array.from(v.trim()).length > 8 ? vscode.l10n.t('One emoji, please.') : undefined),
    });
    if (key?.trim()) await this.react(id, key.trim());
  }

  async edit(id: string, text: string): Promise<{ ok: boolean; error?: string }> {
    if (text.length > MAX_MESSAGE_CHARS) return { ok: false, error: vscode.l10n.t('The edited text is longer than {0} characters.', MAX_MESSAGE_CHARS) };
    let error: string | undefined;
    await this.act(vscode.l10n.t('Could not edit the message'), async (client) => {
      const m = await client.editMessage(this.host.chatID, id, text);
      this.host.upsert(m);
    }, (e) => (error = e));
    return { ok: !error, error };
  }

  async delete(id: string, choice?: 'everyone' | 'me'): Promise<void> {
    const m = this.host.message(id);
    if (!m) return;
    const everyone = vscode.l10n.t('Delete for Everyone');
    const me = vscode.l10n.t('Delete for Me');
    let picked = choice === 'everyone' ? everyone : choice === 'me' ? me : undefined;
    if (!picked) {
      // Only what the network allows: for everyone (your own, within its time limit), for me (deleteForMe).
      const caps = this.host.caps();
      const forEveryone = m.isSender && (caps?.delete === undefined || caps.delete > 0) && (!caps?.deleteMaxAge || Date.now() - Date.parse(m.timestamp) <= caps.deleteMaxAge * 1000);
      const forMe = caps ? caps.deleteForMe === true : true;
      const choices = [...(forEveryone ? [everyone] : []), ...(forMe ? [me] : [])];
      if (!choices.length) return;
      picked = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete this message?'),
        { modal: true, detail: forEveryone ? vscode.l10n.t('“For everyone” removes it from the chat where the network allows it.') : vscode.l10n.t('Only you will stop seeing it.') },
        ...choices,
      );
    }
    if (!picked) return;
    await this.act(vscode.l10n.t('Could not delete the message'), async (client) => {
      await client.deleteMessage(this.host.chatID, id, picked === everyone);
      if (picked === everyone) await this.refreshMessage(client, id);
      else this.host.remove(id);
    });
  }

  async copyText(id: string): Promise<void> {
    const m = this.host.message(id);
    if (!m) return;
    const text = m.text ? this.host.htmlToText(m.text, 100_000).trim() : (m.attachments?.[0]?.fileName ?? '');
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the message text'), 3000);
  }

  /**
   * The only way a link from a message opens: http(s) after a confirmation that shows the real
   * URL (its host first, in punycode when it has look-alike letters); a mailto: address is
   * offered to copy; anything else is refused and says why.
   */
  async openLink(raw: string): Promise<void> {
    const address = mailAddress(raw);
    if (address) {
      const copy = vscode.l10n.t('Copy Address');
      const answer = await vscode.window.showInformationMessage(vscode.l10n.t('This link is an email address. Beeper does not open email links; copy the address instead?'), { modal: true, detail: untrusted(address, 500) }, copy);
      if (answer === copy) {
        await vscode.env.clipboard.writeText(untrusted(address, 500));
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the email address'), 3000);
      }
      return;
    }
    const url = linkTarget(raw);
    if (!url) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Beeper: this link was not opened, because only http and https links open from a message. Copy the text if you trust it.'));
      return;
    }
    const open = vscode.l10n.t('Open Link');
    const detail = `${vscode.l10n.t('Site: {0}', untrusted(url.host, 300))}\n${untrusted(url.href, 2000)}${url.username || url.password ? `\n${vscode.l10n.t('Careful: the part before "@" is not the site; the site is {0}.', untrusted(url.host, 300))}` : ''}`;
    const answer = await vscode.window.showInformationMessage(vscode.l10n.t('Open this link from a message?'), { modal: true, detail }, open);
    if (answer === open) await vscode.env.openExternal(vscode.Uri.parse(url.href, true));
  }

  async saveAttachment(id: string, index: number): Promise<void> {
    const a = this.host.message(id)?.attachments?.[index];
    const url = a ? assetKeyOf(a) : undefined;
    if (!a || !url) return;
    const name = safeFileName(a.fileName);
    const target = await vscode.window.showSaveDialog({ title: vscode.l10n.t('Save Attachment'), defaultUri: vscode.Uri.joinPath(vscode.Uri.file(defaultSaveDir()), name), saveLabel: vscode.l10n.t('Save') });
    if (!target) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Saving {0}', untrusted(name, 100)), cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const temp = `${target.fsPath}.part`;
      try {
        const client = await this.host.client();
        const res = await client.serveAsset(url, { signal: abort.signal });
        const out = fs.createWriteStream(temp);
        let bytes = 0;
        for await (const chunk of res.body) {
          bytes += chunk.length;
          if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
          if (res.contentLength) progress.report({ increment: (chunk.length / res.contentLength) * 100 });
        }
        await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
        fs.renameSync(temp, target.fsPath);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Saved {0} ({1} bytes)', untrusted(name, 100), bytes), 5000);
      } catch (e) {
        fs.rmSync(temp, { force: true });
        if (abort.signal.aborted) return;
        void vscode.window.showErrorMessage(vscode.l10n.t('Beeper: could not save {0}, because: {1} Try again, or save it from Beeper Desktop.', untrusted(name, 100), untrusted(describeError(e))));
      }
    });
  }

  async openInBeeper(messageID?: string): Promise<void> {
    if (!messageID) {
      await vscode.commands.executeCommand('beeper.focusChat', this.host.chatID);
      return;
    }
    await this.act(vscode.l10n.t('Could not open Beeper'), (client) => client.focus({ chatID: this.host.chatID, messageID }).then(() => undefined));
  }

  private async act(what: string, run: (client: BeeperClient) => Promise<void>, onError?: (message: string) => void): Promise<void> {
    try {
      await run(await this.host.client());
    } catch (e) {
      const message = untrusted(describeError(e));
      if (onError) onError(message);
      else void vscode.window.showErrorMessage(`${what}: ${message}`);
    }
  }
}

function defaultSaveDir(): string {
  const home = os.homedir();
  return saveFolder(home, fs.existsSync(path.join(home, 'Downloads')), vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath, (...parts) => path.join(...parts));
}
