// Local avatars (file: URLs from Beeper Desktop's media cache). A webview never gets a file
// root of its own: the extension reads an image only when its real path lies inside one of the
// allowed roots and hands it over as a data: URL. No vscode import.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.bmp': 'image/bmp',
};

/** Avatars larger than this are not inlined. */
export const MAX_LOCAL_IMAGE_BYTES = 1024 * 1024;

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
 * Reads a local image as a data: URL if, after resolving `..` and symlinks, it lies inside one
 * of `roots`, has an image extension and is small enough; otherwise undefined (a placeholder).
 */
export async function readLocalImage(filePath: string, roots: readonly string[]): Promise<string | undefined> {
  if (!path.isAbsolute(filePath)) return undefined;
  const type = IMAGE_TYPES[path.extname(filePath).toLowerCase()];
  if (!type) return undefined;
  let real: string;
  try {
    real = await fs.realpath(filePath);
  } catch {
    return undefined;
  }
  let allowed = false;
  for (const root of roots) {
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
    return `data:${type};base64,${(await fs.readFile(real)).toString('base64')}`;
  } catch {
    return undefined;
  }
}
