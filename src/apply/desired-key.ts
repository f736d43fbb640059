/** The key of a resource's derived spec hash and start: its file's content (128 bits of its sha256) and its document in the file. */
export function desiredKey(fileSha: string, documentIndex: number): string {
  return `${fileSha.slice(0, 32)}:${documentIndex}`;
}
