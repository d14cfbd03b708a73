// npm run sandbox -- [--port 23373] [--token T] [--big N] [--accounts N] [--auto-scan MS] [--verbose]
// Starts the sandbox Beeper Desktop API on 127.0.0.1 and prints what a client needs.
import { DEFAULT_TOKEN, startSandbox } from './server';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const sandbox = await startSandbox({
    port: Number(flag('port') ?? 23373),
    token: flag('token') ?? DEFAULT_TOKEN,
    bigAccountChats: flag('big') ? Number(flag('big')) : undefined,
    extraAccounts: flag('accounts') ? Number(flag('accounts')) : undefined,
    autoScanMs: flag('auto-scan') ? Number(flag('auto-scan')) : 0,
    verbose: process.argv.includes('--verbose'),
  });
  console.log(`Beeper sandbox listening on ${sandbox.url}`);
  console.log(`Access token: ${sandbox.token}`);
  console.log(`Connect with: BEEPER_DESKTOP_BASE_URL=${sandbox.url} BEEPER_ACCESS_TOKEN=${sandbox.token}`);
  console.log(`Control routes (/_sandbox/*): send the header x-sandbox-admin: ${sandbox.adminSecret} (or the token), JSON as application/json`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`sandbox: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
