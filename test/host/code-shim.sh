#!/usr/bin/env bash
# Stand-in for the VS Code executable, for @vscode/test-electron's runTests on machines that
# cannot download desktop VS Code: it runs the same tests in code-server instead.
here="$(cd "$(dirname "$0")" && pwd)"
exec node "$here/../../out/test/host/run-in-code-server.js" "$@"
