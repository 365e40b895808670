'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

// False in the server's HTML and until React has hydrated in the browser, true after: controls that need JavaScript
// render disabled until then, so an early click is never silently lost.
export function useHydrated(): boolean {
  return useSyncExternalStore(subscribe, () => true, () => false);
}
