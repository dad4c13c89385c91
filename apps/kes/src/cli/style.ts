/**
 * Terminal styles (ANSI SGR codes from `node:util` `inspect.colors`) that are no-ops when colors are off.
 */
import { inspect } from 'node:util';

type StyleName = 'bold' | 'dim' | 'underline' | 'green' | 'yellow' | 'red' | 'cyan' | 'blue';

function sgr(names: readonly StyleName[], text: string): string {
  let out = text;
  for (const name of [...names].reverse()) {
    const [open, close] = inspect.colors[name] ?? [0, 0];
    out = `\u001b[${open}m${out}\u001b[${close}m`;
  }
  return out;
}

/** A set of text styles; every method returns the text unchanged when the style is disabled. */
export class Style {
  constructor(readonly enabled: boolean) {}

  private apply(names: readonly StyleName[], text: string): string {
    return this.enabled && text !== '' ? sgr(names, text) : text;
  }

  bold(text: string): string {
    return this.apply(['bold'], text);
  }
  faint(text: string): string {
    return this.apply(['dim'], text);
  }
  underline(text: string): string {
    return this.apply(['underline'], text);
  }
  green(text: string): string {
    return this.apply(['bold', 'green'], text);
  }
  yellow(text: string): string {
    return this.apply(['bold', 'yellow'], text);
  }
  red(text: string): string {
    return this.apply(['bold', 'red'], text);
  }
  cyan(text: string): string {
    return this.apply(['bold', 'cyan'], text);
  }
  blue(text: string): string {
    return this.apply(['blue'], text);
  }
}
