// Attachment images on disk, under the extension's storage: fetched once from
// /v1/assets/serve with the token (the webview never fetches and never sees the token), then
// shown from the file. Bounded: past `maxBytes` the least recently used files go. Only image
// content types are kept, and no single file over `maxFileBytes`. No vscode import.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rasterImageExtension } from '../text/format';

export interface AssetSource {
  serveAsset(url: string, opts?: { signal?: AbortSignal }): Promise<{ contentType?: string; contentLength?: number; body: AsyncIterable<Buffer> & { destroy(e?: Error): unknown } }>;
}

export class AssetCache {
  private readonly index = new Map<string, { file: string; bytes: number; used: number }>();
  private readonly inFlight = new Map<string, Promise<string | undefined>>();
  private total = 0;
  private scanned = false;
  /** Fetches made (tests and benchmarks). */
  fetches = 0;

  constructor(
    readonly dir: string,
    private readonly maxBytes = 200 * 1024 * 1024,
    private readonly maxFileBytes = 25 * 1024 * 1024,
  ) {}

  private keyOf(url: string): string {
    return createHash('sha256').update(url).digest('hex').slice(0, 40);
  }

  private scan(): void {
    if (this.scanned) return;
    this.scanned = true;
    fs.mkdirSync(this.dir, { recursive: true });
    for (const name of fs.readdirSync(this.dir)) {
      const key = name.replace(/\.[a-z]+$/, '');
      if (!/^[0-9a-f]{40}$/.test(key)) continue;
      try {
        const st = fs.statSync(path.join(this.dir, name));
        this.index.set(key, { file: path.join(this.dir, name), bytes: st.size, used: st.mtimeMs });
        this.total += st.size;
      } catch {
        // Gone meanwhile.
      }
    }
  }

  /** The cached file of an image asset, fetching it first when needed; undefined when it is not an image or cannot be had. */
  get(url: string, source: AssetSource, signal?: AbortSignal): Promise<string | undefined> {
    this.scan();
    const key = this.keyOf(url);
    const hit = this.index.get(key);
    if (hit && fs.existsSync(hit.file)) {
      hit.used = Date.now();
      return Promise.resolve(hit.file);
    }
    const running = this.inFlight.get(key);
    if (running) return running;
    const job = this.fetch(url, key, source, signal).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, job);
    return job;
  }

  private async fetch(url: string, key: string, source: AssetSource, signal?: AbortSignal): Promise<string | undefined> {
    this.fetches++;
    const res = await source.serveAsset(url, { signal });
    const ext = rasterImageExtension(res.contentType);
    if (!ext || (res.contentLength ?? 0) > this.maxFileBytes) {
      res.body.destroy();
      return undefined;
    }
    const file = path.join(this.dir, key + ext);
    const temp = `${file}.${process.pid}.part`;
    const out = fs.createWriteStream(temp);
    let bytes = 0;
    try {
      for await (const chunk of res.body) {
        bytes += chunk.length;
        if (bytes > this.maxFileBytes) throw new Error('too large');
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      fs.renameSync(temp, file);
    } catch {
      // A failed or oversized download leaves no file: the image keeps its placeholder (the caller logs why).
      res.body.destroy();
      out.destroy();
      fs.rmSync(temp, { force: true });
      return undefined;
    }
    this.index.set(key, { file, bytes, used: Date.now() });
    this.total += bytes;
    this.evict();
    return file;
  }

  private evict(): void {
    if (this.total <= this.maxBytes) return;
    const oldest = [...this.index.entries()].sort((a, b) => a[1].used - b[1].used);
    for (const [key, entry] of oldest) {
      if (this.total <= this.maxBytes * 0.9) break;
      fs.rmSync(entry.file, { force: true });
      this.index.delete(key);
      this.total -= entry.bytes;
    }
  }

  get bytes(): number {
    return this.total;
  }
}
