// Build configuration.
//   node esbuild.mjs              bundle the extension to dist/ (source maps, not minified)
//   node esbuild.mjs --production bundle minified, no source maps (what the .vsix ships)
//   node esbuild.mjs --tests      transpile src/ and test/ to out/ (one file per module) for the
//                                 unit tests, the sandbox and the host harness
//   add --all to do both the bundle and the tests
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const quiet = args.has('--quiet');

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** What every bundle shares: minified without maps for the .vsix, linked maps otherwise. */
const bundleOptions = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
};

/** The webview pages: browser bundles, one per page, into dist/webview/. */
async function bundleWebviews() {
  const result = await esbuild.build({
    ...bundleOptions,
    entryPoints: { chat: 'src/webview-ui/chat.ts', login: 'src/webview-ui/login.ts', bridge: 'src/webview-ui/bridge.ts' },
    outdir: 'dist/webview',
    format: 'iife',
    platform: 'browser',
    target: ['chrome120'],
  });
  return result.metafile.outputs;
}

async function bundleExtension() {
  rmSync('dist', { recursive: true, force: true });
  const webviewOutputs = await bundleWebviews();
  const result = await esbuild.build({
    ...bundleOptions,
    // The QR encoder and the HTML-to-text parser are bundles of their own, loaded only when a QR
    // step appears or message HTML first needs to become text (a notification, a chat tool).
    entryPoints: { extension: 'src/extension.ts', qr: 'src/login/qr.ts', html: 'src/text/messageText.ts' },
    outdir: 'dist',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode', './qr.js', './html.js'],
  });
  if (!quiet) {
    for (const [file, meta] of Object.entries({ ...result.metafile.outputs, ...webviewOutputs })) {
      if (!file.endsWith('.map')) console.log(`build: ${file} ${meta.bytes} bytes`);
    }
  }
}

async function transpileTests() {
  rmSync('out', { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [...tsFiles('src').filter((f) => !f.includes('webview-ui')), ...tsFiles('test')],
    outdir: 'out',
    outbase: '.',
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  if (!quiet) console.log('build: src/ and test/ transpiled to out/');
}

if (args.has('--tests')) {
  if (args.has('--all')) await bundleExtension();
  await transpileTests();
} else {
  await bundleExtension();
}
