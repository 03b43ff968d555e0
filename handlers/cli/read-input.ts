/**
 * Opening a user-named file or `-` (standard input) for a command, with errors that say which file
 * and what to type instead.
 */
import { createReadStream, statSync } from 'node:fs';
import { EvidenceError } from '../../src/errors';
import type { CliIO } from './command';

/** The text chunks of FILE or stdin, decoded as UTF-8 in chunks of 1 MiB. */
export function openTextInput(file: string, io: CliIO, what: string): AsyncIterable<string> {
  if (file === '-') return decode(io.stdin);
  checkReadable(file, what);
  return createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>;
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

async function* decode(chunks: AsyncIterable<string | Buffer>): AsyncIterable<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}
