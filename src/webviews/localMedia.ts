// Local avatars (file: URLs from Beeper Desktop's media cache). A webview never gets a file
// root of its own: the extension reads an image only when its real path lies inside one of the
// allowed roots and hands it over as a data: URL. No vscode import.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { rasterImageExtension, rasterImageTypeOf } from '../text/format';


/** Avatars larger than this are not inlined. */
const MAX_LOCAL_IMAGE_BYTES = 1024 * 1024;

/** Where Beeper Desktop keeps its data on each platform; user-configured roots come on top. */
export function defaultMediaRoots(platform = process.platform, env = process.env, home = os.homedir()): string[] {
  if (platform === 'darwin') return [path.join(home, 'Library', 'Application Support', 'BeeperTexts')];
  if (platform === 'win32') return env.APPDATA ? [path.join(env.APPDATA, 'BeeperTexts')] : [];
  return [path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'BeeperTexts')];
}

/** True when `candidate` is `root` itself or lies below it (both already resolved). */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!!rel && !rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * A UNC or network path (`\\host\share`, `//host/share`, `\\?\UNC\…`): never read. On Windows,
 * merely resolving such a path contacts the host (and offers it the user's credentials).
 */
export function isNetworkPath(p: string): boolean {
  return /^[\\/]{2}/.test(p);
}

/** A local image that passed every check: its real path, type, size and a key that changes with it. */
export interface CheckedImage {
  real: string;
  type: string;
  size: number;
  key: string;
}

/**
 * Whether a local image may be shown, without reading it: inside one of `roots` — first by its
 * text (nothing touches the file system for a path outside them), then again after resolving `..`
 * and symlinks — an image by its extension, and small enough; otherwise undefined (initials).
 */
export async function checkLocalImage(filePath: string, roots: readonly string[]): Promise<CheckedImage | undefined> {
  if (isNetworkPath(filePath) || !path.isAbsolute(filePath)) return undefined;
  const type = rasterImageTypeOf(filePath);
  if (!type) return undefined;
  const usableRoots = roots.filter((r) => path.isAbsolute(r) && !isNetworkPath(r));
  // By text first: path.resolve only normalizes the string.
  if (!usableRoots.some((root) => isInside(path.resolve(root), path.resolve(filePath)))) return undefined;
  let real: string;
  try {
    real = await fs.realpath(filePath);
  } catch {
    // A path that does not resolve (missing, no permission) is not shown: initials.
    return undefined;
  }
  let allowed = false;
  for (const root of usableRoots) {
    try {
      if (isInside(await fs.realpath(root), real)) allowed = true;
    } catch {
      // A configured root that does not exist allows nothing.
    }
  }
  if (!allowed) return undefined;
  try {
    const stat = await fs.stat(real);
    if (!stat.isFile() || stat.size > MAX_LOCAL_IMAGE_BYTES) return undefined;
    return { real, type, size: stat.size, key: `${real}:${stat.mtimeMs}:${stat.size}` };
  } catch {
    // Gone or unreadable between the checks: initials.
    return undefined;
  }
}

/**
 * A checked local image copied (once) into `dir`, under a name made from its key: a webview
 * then shows it as a resource of the extension's own storage, never by its original path.
 */
export async function copyLocalImage(filePath: string, roots: readonly string[], dir: string): Promise<{ file: string; bytes: number; key: string } | undefined> {
  const image = await checkLocalImage(filePath, roots);
  if (!image) return undefined;
  const name = createHash('sha256').update(image.key).digest('hex').slice(0, 32) + (rasterImageExtension(image.type) ?? '');
  const file = path.join(dir, name);
  try {
    await fs.access(file);
  } catch {
    // Not copied yet: copy it now.
    await fs.mkdir(dir, { recursive: true });
    // A name of its own per copy: two panels copying the same avatar at once do not collide.
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.part`;
    await fs.copyFile(image.real, temp);
    await fs.rename(temp, file);
  }
  return { file, bytes: image.size, key: image.key };
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
