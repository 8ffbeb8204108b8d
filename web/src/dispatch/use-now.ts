import { useEffect, useState } from 'react';

/** The time, read again every `ms` (30 s): countdowns stay true without a refetch. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
