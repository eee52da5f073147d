import { useSyncExternalStore } from 'react';

/** A minimal observable state holder; views read it with `useStore`. */
export class Store<S extends object> {
  private state: S;
  private readonly listeners = new Set<() => void>();
  constructor(initial: S) {
    this.state = initial;
  }
  get(): S {
    return this.state;
  }
  protected set(patch: Partial<S>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of [...this.listeners]) fn();
  }
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  };
}

export function useStore<S extends object>(store: Store<S>): S {
  return useSyncExternalStore(store.subscribe, () => store.get());
}
