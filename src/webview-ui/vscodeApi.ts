// The one handle a webview page has on VS Code, typed by the shared protocol.
declare function acquireVsCodeApi<State, Request>(): {
  postMessage(message: Request): void;
  getState(): State | undefined;
  setState(state: State): void;
};

export function vscodeApi<State, Request>() {
  return acquireVsCodeApi<State, Request>();
}
