// The first step of `npm start` and `npm test` on any checkout: installs what they need when it
// is missing, so that a fresh clone needs nothing but those two commands.
//   - node_modules: `npm ci` when it is missing or older than package-lock.json;
//   - Debian packages (chromium drives the workbench in tests, libkrb5-dev lets code-server build
//     its kerberos module): installed with apt-get when missing and running as root, otherwise
//     the one command to run is printed and the script stops.
// Plain Node, no dependencies: it runs before any are installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const purpose = process.argv[2] === 'test' ? 'test' : 'start';
const APT = purpose === 'test' ? ['chromium', 'libkrb5-dev'] : ['libkrb5-dev'];

function run(command, args, options = {}) {
  const res = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (res.status !== 0) {
    console.error(`setup: ${command} ${args.join(' ')} failed (exit ${res.status ?? res.signal})`);
    process.exit(1);
  }
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

// Debian packages first: npm ci does not need them, but a failed check should stop early.
if (has('dpkg-query')) {
  const missing = APT.filter((p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes('install ok installed') !== true);
  if (missing.length) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
      console.error(`setup: npm ${purpose} needs the Debian package(s) ${missing.join(', ')}. Install them once with:\n\n  sudo apt-get install -y --no-install-recommends ${missing.join(' ')}\n`);
      process.exit(1);
    }
    console.log(`setup: installing ${missing.join(', ')} (apt-get)`);
    run('apt-get', ['update', '-qq'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
} else {
  console.warn(`setup: not a Debian-like system; make sure ${APT.join(' and ')} (or their equivalents) are installed.`);
}

const lock = join(ROOT, 'package-lock.json');
const installed = join(ROOT, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.log('setup: installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
