/**
 * Reading passwords: from a terminal without echo, or one line from a pipe.
 */
import { CliError } from './errors.js';
import { isTerminal, type CliIo } from './io.js';

/**
 * Asks for a password. On a terminal the prompt goes to stderr and the typed characters are not echoed (Ctrl-C
 * aborts); otherwise one line is read from standard input (`echo "$PW" | kes …`).
 * @returns the password without the line break.
 * @throws CliError when standard input ends before a line was read or the user pressed Ctrl-C / Ctrl-D.
 */
export async function readPassword(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin;
  const tty = isTerminal(io, stdin) && typeof stdin.setRawMode === 'function';
  if (tty) io.stderr.write(prompt);
  return new Promise<string>((resolve, reject) => {
    let buffer = '';
    const finish = (err: CliError | undefined, value = ''): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onEnd);
      if (tty) {
        stdin.setRawMode?.(false);
        io.stderr.write('\n');
      }
      stdin.pause();
      if (err !== undefined) reject(err);
      else resolve(value);
    };
    const onEnd = (): void => {
      if (!tty && buffer !== '') finish(undefined, buffer.replace(/\r$/, ''));
      else finish(new CliError('no password given: standard input ended before a password was entered'));
    };
    const onData = (chunk: Buffer | string): void => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      for (const ch of text) {
        if (ch === '\n' || ch === '\r') return finish(undefined, buffer);
        if (tty && (ch === '\u0003' || ch === '\u0004')) return finish(new CliError('no password given: aborted'));
        if (tty && (ch === '\u007f' || ch === '\b')) {
          buffer = buffer.slice(0, -1);
          continue;
        }
        buffer += ch;
      }
    };
    if (tty) stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onEnd);
    stdin.resume();
  });
}
