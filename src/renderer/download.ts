/**
 * Saves text as a file through the browser's own download (the desktop app's window asks
 * where): no file system access in the renderer, and nothing goes over the network.
 */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The click has handed the blob to the download; the URL is not needed after this turn.
  queueMicrotask(() => {
    URL.revokeObjectURL(url);
  });
}
