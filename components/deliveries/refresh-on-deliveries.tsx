'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { DELIVERIES_LOADED } from './delivery-browser';

// Re-renders the page's server components (the stats) whenever the live delivery list on the page has changed.
export function RefreshOnDeliveries() {
  const router = useRouter();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onLoaded = () => {
      clearTimeout(timer);
      timer = setTimeout(() => router.refresh(), 300);
    };
    window.addEventListener(DELIVERIES_LOADED, onLoaded);
    return () => {
      clearTimeout(timer);
      window.removeEventListener(DELIVERIES_LOADED, onLoaded);
    };
  }, [router]);
  return null;
}
