// A real turn of the event loop: what waits (socket and RPC messages, timers, other extensions)
// runs before the caller goes on. One setImmediate is not that when it is queued from an I/O
// callback (an HTTP answer, a socket frame): it runs in the same loop iteration, right after, so
// the two stretches are one block to everything else (measured: 20 ms + 20 ms of work around one
// setImmediate was one 41 ms block; around two, 21 ms). An immediate queued from inside an
// immediate runs in the next iteration, after timers and I/O: hence two. No vscode import.

/** Resolves after the event loop has been round once (timers and I/O included). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** Calls `fn` after the event loop has been round once. */
export function onNextTurn(fn: () => void): void {
  setImmediate(() => setImmediate(fn));
}
