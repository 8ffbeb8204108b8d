import { useEffect, useState } from 'react';

/** The root font size in CSS px: the wall's layout unit (grows with the screen). */
export function readRem(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
}

/** A value read from the window's layout, read again on every resize. */
export function useOnResize<T>(read: () => T): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const onResize = () => setValue(read());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [read]);
  return value;
}

export function useRem(): number {
  return useOnResize(readRem);
}
