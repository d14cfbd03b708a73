// The bridge details page: "Add account with this flow" buttons ask the host (which checks the
// flow against the bridge's own list), and the page remembers its bridge for a window reload.
import type { BridgePageRequest, BridgePageState } from '../webviews/protocol';
import { vscodeApi } from './vscodeApi';

const vscode = vscodeApi<BridgePageState, BridgePageRequest>();
const bridgeID = document.body.dataset.bridgeId;
if (bridgeID) vscode.setState({ bridgeID });

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('button') : null;
  const flowID = target?.dataset.flow;
  if (flowID) vscode.postMessage({ type: 'addAccount', flowID });
});
vscode.postMessage({ type: 'ready' });
