import { useOnResize } from '../app/use-on-resize.ts';

/** The root font size in CSS px: the wall's layout unit (grows with the screen). */
export function readRem(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
}

export function useRem(): number {
  return useOnResize(readRem);
}
