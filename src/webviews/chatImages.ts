// The images a chat page shows besides attachments: the chat's avatar and people's avatars. Each
// distinct image goes to the page once, by key; participants and messages name the key. A local
// avatar (file: from Beeper Desktop's media folder, checked against the allowed roots) is copied
// into the extension's storage and shown as a webview resource, so no message carries its bytes.
// https: avatars (when allowed) and small data: images are used as they are.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { classifyImageUrl } from './html';
import { copyLocalImage, defaultMediaRoots } from './localMedia';
import { setting } from '../host/settings';

/** A data: or https: URL longer than this is not used (initials instead). */
const MAX_URL_CHARS = 64 * 1024;
/** Local image bytes one panel copies at most; past it, initials. */
const PANEL_COPY_BUDGET = 32 * 1024 * 1024;
/** An `images` message stays below this many characters; more images go in the next one. */
const MAX_IMAGES_MESSAGE_CHARS = 512 * 1024;

export class ChatImages {
  /** Every image the page may know, by key. */
  private readonly known = new Map<string, string>();
  /** Keys resolved but not posted yet. */
  private readonly unsent = new Set<string>();
  /** Avatar URL → its key (or none), resolving at most once per URL even when asked many times at once. */
  private readonly byRaw = new Map<string, Promise<string | undefined>>();
  private copied = 0;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly dir: string,
    private readonly remoteImages: () => boolean,
    private readonly log: { debug(message: string): void },
  ) {}

  private roots(): string[] {
    const configured = setting('localMediaRoots');
    return [...defaultMediaRoots(), ...configured.filter((r) => typeof r === 'string' && r.length > 0)];
  }

  /** The key of an avatar the page may show, or undefined (the page draws initials). */
  keyFor(raw: string | null | undefined): Promise<string | undefined> {
    if (!raw) return Promise.resolve(undefined);
    let key = this.byRaw.get(raw);
    if (!key) {
      key = this.resolve(raw).catch((e: unknown) => {
        // An avatar that cannot be copied is shown as initials; the rest of the page is unaffected.
        this.log.debug(`An avatar could not be prepared for the page: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      });
      this.byRaw.set(raw, key);
    }
    return key;
  }

  private async resolve(raw: string): Promise<string | undefined> {
    const source = classifyImageUrl(raw, this.remoteImages());
    if (source.kind === 'url') {
      if (source.url.length > MAX_URL_CHARS) return undefined;
      return this.remember(`u${hash(source.url)}`, source.url);
    }
    if (source.kind !== 'file' || this.copied >= PANEL_COPY_BUDGET) return undefined;
    const copy = await copyLocalImage(source.path, this.roots(), path.join(this.dir, 'avatars'));
    if (!copy) return undefined;
    const key = `f${hash(copy.key)}`;
    if (!this.known.has(key)) this.copied += copy.bytes;
    return this.remember(key, this.webview.asWebviewUri(vscode.Uri.file(copy.file)).toString());
  }

  private remember(key: string, src: string): string {
    if (!this.known.has(key)) {
      this.known.set(key, src);
      this.unsent.add(key);
    }
    return key;
  }

  /** Images not posted yet, as bounded messages (each distinct image once). */
  takeUnsent(): Array<Record<string, string>> {
    const keys = [...this.unsent];
    this.unsent.clear();
    return chunk(keys.map((k) => [k, this.known.get(k)!] as const));
  }

  /** Every image, for a page that starts over (`ready`). */
  all(): Array<Record<string, string>> {
    this.unsent.clear();
    return chunk([...this.known]);
  }

  /** Local image bytes copied for this panel (the benchmark reads it). */
  get copiedBytes(): number {
    return this.copied;
  }

}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 20);
}

function chunk(entries: ReadonlyArray<readonly [string, string]>): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  let current: Record<string, string> = {};
  let size = 0;
  for (const [key, src] of entries) {
    if (size > 0 && size + src.length > MAX_IMAGES_MESSAGE_CHARS) {
      out.push(current);
      current = {};
      size = 0;
    }
    current[key] = src;
    size += src.length + key.length;
  }
  if (size > 0) out.push(current);
  return out;
}
