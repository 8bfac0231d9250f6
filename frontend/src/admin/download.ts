/** Hands a fetched file to the browser as a download (the export needs the token, so no plain link). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; the URL may go once the event loop moves on.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
