import type { FormEvent, KeyboardEvent } from 'react';

/** A desk form's keys: Enter (or the button) and Ctrl/⌘+Enter submit, Esc cancels. */
export function deskFormHandlers(submit: () => void, cancel: () => void) {
  return {
    onSubmit: (e: FormEvent) => {
      e.preventDefault();
      submit();
    },
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Escape') cancel();
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        submit();
      }
    },
  };
}
