/**
 * Opening a user-named file or `-` (standard input) for a command, with errors that say which file
 * and what to type instead. Everything the CLI reads as JSON, curl output or logs comes through here.
 */
import { isAscii } from 'node:buffer';
import { createReadStream, statSync } from 'node:fs';
import { EvidenceError } from '../../src/errors';
import type { CliIO } from './command';

/** The text chunks of FILE or stdin, decoded as UTF-8 in chunks of 1 MiB. */
export function openTextInput(file: string, io: CliIO, what: string): AsyncIterable<string> {
  if (file === '-') return decode(io.stdin);
  checkReadable(file, what);
  return decode(createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>);
}

export async function readWholeInput(file: string, io: CliIO, what: string): Promise<string> {
  let text = '';
  for await (const chunk of openTextInput(file, io, what)) text += chunk;
  return text;
}

function checkReadable(file: string, what: string): void {
  try {
    if (statSync(file).isDirectory()) throw new EvidenceError(`${what} ${file} is a folder; give a file, or - to read standard input`);
  } catch (e) {
    if (e instanceof EvidenceError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'cannot read it');
    throw new EvidenceError(`cannot read ${what} ${file}: ${why}`);
  }
}

/**
 * UTF-8 decoding with a fast path: logs are nearly always ASCII, and an ASCII chunk decodes as
 * latin1 at about three times the speed. Once a chunk is not ASCII, the streaming decoder takes over
 * for good, so that a character split across chunks is never broken. One leading byte-order mark
 * (U+FEFF, which editors on Windows write) is dropped, whether the input came as bytes or as text.
 */
async function* decode(chunks: AsyncIterable<string | Buffer>): AsyncIterable<string> {
  // The decoder keeps the mark, so that exactly one is dropped below on either path.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let decoderInUse = false;
  let atStart = true;
  const withoutMark = (text: string): string => {
    if (!atStart || text === '') return text;
    atStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') yield withoutMark(chunk);
    else if (!decoderInUse && isAscii(chunk)) yield withoutMark(chunk.toString('latin1'));
    else {
      decoderInUse = true;
      yield withoutMark(decoder.decode(chunk, { stream: true }));
    }
  }
  const rest = withoutMark(decoder.decode());
  if (rest) yield rest;
}
