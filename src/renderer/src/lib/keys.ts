import { useEffect, useRef } from 'react';

/** True when a key press belongs to a text field (or similar), not to the app's shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file'].includes(type);
}

/** A key event with no Ctrl/Meta/Alt held. */
export function isPlainKey(e: KeyboardEvent): boolean {
  return !e.ctrlKey && !e.metaKey && !e.altKey;
}

/**
 * Listen to keydown on the window for as long as the component is mounted. The handler
 * returns true when it handled the key (then the default action is prevented).
 */
export function useKeydown(handler: (e: KeyboardEvent) => boolean, enabled = true): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented) return;
      if (ref.current(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** True for Ctrl+Enter (⌘+Enter on macOS): start the view's job (train, dream, probe…). */
export function isStartKey(e: KeyboardEvent): boolean {
  return e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey;
}

/** Ctrl / ⌘ + Enter starts the view's job, for as long as the view is mounted. */
export function useStartShortcut(start: () => void): void {
  useKeydown((e) => {
    if (!isStartKey(e)) return false;
    start();
    return true;
  });
}
