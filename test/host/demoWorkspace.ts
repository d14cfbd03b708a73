// The folder VS Code opens in `npm start`, the integration tests and the e2e: a small project
// that the sandbox's "code" chat talks about (src/server/routes.ts:12, a stack trace into it, a
// GitHub permalink to beeper-sandbox/demo), as a git repository whose remote is on GitHub and
// whose commit is on a remote branch (origin/main), so code links and "Send Link to Selection…"
// work with no network. Also what must never become a link: a symlink out of the folder.
// Test tooling: it runs git (the extension never does).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEMO_REMOTE = 'https://github.com/beeper-sandbox/demo.git';

const ROUTES = `// The demo's HTTP routes (the sandbox's "code" chat links here).
import type { Request, Response } from './app';

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handle(req: Request, res: Response): void;
}

export const routes: Route[] = [];

export function handle(req: Request, res: Response): void {
  const route = routes.find((r) => r.method === req.method && r.path === req.path);
  res.send(route!.path);
}

export function register(route: Route): void {
  routes.push(route);
}
`;

const APP = `// The demo's app: requests go to the routes.
import { handle } from './routes';

export interface Request { method: 'GET' | 'POST'; path: string }
export interface Response { send(body: string): void }

export function dispatch(req: Request, res: Response): void {
  handle(req, res);
}
`;

/**
 * Writes the demo project into `dir` (kept when it is already there) and, with `git`, makes it a
 * repository with one commit on origin/main. `outside` gets the file a symlink points at.
 */
export function writeDemoWorkspace(dir: string, options: { git?: boolean; readme?: string } = {}): void {
  fs.mkdirSync(path.join(dir, 'src', 'server'), { recursive: true });
  const write = (rel: string, text: string) => {
    const file = path.join(dir, rel);
    if (!fs.existsSync(file)) fs.writeFileSync(file, text);
  };
  write('src/server/routes.ts', ROUTES);
  write('src/server/app.ts', APP);
  write('.gitignore', 'node_modules\n');
  if (options.readme) write('README.md', fs.readFileSync(options.readme, 'utf8'));
  // A symlink inside the folder to a file outside it: it exists, and must still not be a link.
  const outside = path.join(path.dirname(dir), `${path.basename(dir)}-outside.ts`);
  if (!fs.existsSync(outside)) fs.writeFileSync(outside, 'export const secret = "outside the workspace";\n');
  const escape = path.join(dir, 'src', 'escape.ts');
  if (!fs.existsSync(escape)) {
    try {
      fs.symlinkSync(outside, escape);
    } catch {
      // No symlinks here (some Windows setups): that case is simply not shown.
    }
  }
  if (!options.git || fs.existsSync(path.join(dir, '.git'))) return;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Sandbox', '-c', 'user.email=sandbox@example.org', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, stdio: 'ignore' });
  try {
    git('init', '-q');
    git('checkout', '-q', '-B', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'The demo project');
    git('remote', 'add', 'origin', DEMO_REMOTE);
    // As if pushed: origin/main has the commit (no network).
    git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    git('branch', '-q', '--set-upstream-to=origin/main', 'main');
  } catch (e) {
    console.warn(`demo workspace: no git repository (${e instanceof Error ? e.message : String(e)}); permalinks are not shown`);
  }
}
