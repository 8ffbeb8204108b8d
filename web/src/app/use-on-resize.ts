import { useEffect, useState } from 'react';

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
