// The CSV of newly issued device identifiers an administrator downloads once (批量发放): UTF-8
// with a byte-order mark so that Excel on a Chinese Windows opens it in the right encoding, CRLF
// lines (RFC 4180), quoted cells, and a cell that a spreadsheet would take for a formula
// (=, +, -, @, tab, CR at its start) made text with a leading apostrophe (CSV injection).

/** One cell as RFC 4180 wants it, never read as a formula. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: a header row, then one row per record. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const lines = [header, ...rows].map((r) => r.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Offers a text file for download (the browser saves it; nothing leaves the page). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
