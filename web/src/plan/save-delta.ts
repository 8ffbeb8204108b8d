// A save sends what changed since the plan was last saved or opened: the stored edits that the
// editor still has, from the first, are kept on the server (`keep`), the rest is sent. A plan
// made by an import holds the imported layer in its first edit — megabytes for a city — which a
// whole-list save would send again each time (and run into the request size limit).

/** How many of `saved`, from the first, `edits` still has unchanged. */
export function keptPrefix(saved: readonly unknown[], edits: readonly unknown[]): number {
  let n = 0;
  while (
    n < saved.length &&
    n < edits.length &&
    (saved[n] === edits[n] || JSON.stringify(saved[n]) === JSON.stringify(edits[n]))
  )
    n++;
  return n;
}
