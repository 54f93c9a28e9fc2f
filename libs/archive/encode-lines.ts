/**
 * The lines as UTF-8, each followed by '\n', for appending to a part. Written into one buffer line by line:
 * the archive's lines are concatenations of their parts (outbox-lines.ts), and joining them into one string
 * and encoding that flattened every line twice; measured on a batch of 500 bench events, 1.8 ms that way
 * against 0.1 ms this way, on the consumer's main thread for every batch.
 */
export function encodeLines(lines: readonly string[]): Buffer {
  let size = 0;
  for (const line of lines) size += Buffer.byteLength(line) + 1;
  const data = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const line of lines) {
    offset += data.write(line, offset);
    data[offset] = 0x0a;
    offset += 1;
  }
  return data;
}
