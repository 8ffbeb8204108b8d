import { useEffect, useState } from 'react';

/** The root font size in CSS px: the wall's layout unit (grows with the screen). */
export function readRem(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
}

export function useRem(): number {
  const [rem, setRem] = useState(readRem);
  useEffect(() => {
    const onResize = () => setRem(readRem());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return rem;
}
