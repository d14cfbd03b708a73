// A minimal typed event emitter with VS Code's shape (`event(listener) → { dispose }`), so the
// model can be used and tested without the vscode module.
export interface Disposable {
  dispose(): void;
}

/** Where a listener's error goes (the extension sets the Beeper log; tests may read it). */
let listenerErrorSink: (error: unknown) => void = () => undefined;

/** Sets where listener errors are reported (once, at activation). */
export function onListenerError(sink: (error: unknown) => void): void {
  listenerErrorSink = sink;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch (e) {
        // One view's bug must not stop the others from hearing about the change; it is logged.
        listenerErrorSink(e);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
