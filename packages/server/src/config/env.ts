/** Environment variables as the config loader sees them (`process.env` by default). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Result of {@link substituteEnv}. */
export interface Substitution {
  /** The text to use: the variable's value, or the original text when nothing was substituted. */
  readonly text: string;
  /** True when the text was a `${NAME}` reference. */
  readonly substituted: boolean;
  /** The variable's name when it is not set (then `text` is the original text). */
  readonly missing?: string;
}

/**
 * KES's `${VAR}` rule (spec §6.1): when the **whole trimmed** text is `${NAME}`, it is replaced by the value of the
 * environment variable `NAME` (the name itself trimmed; an empty value is allowed): the name is everything between
 * the leading `${` and the trailing `}`. Anything else (`a${X}b`, `$X`, `${X`) stays literal. A variable that is
 * not set is reported through `missing`.
 * Never throws.
 */
export function substituteEnv(text: string, env: Env): Substitution {
  const trimmed = text.trim();
  if (!trimmed.startsWith('${') || !trimmed.endsWith('}') || trimmed.length < 3) return { text, substituted: false };
  const name = trimmed.slice(2, -1).trim();
  const value = Object.hasOwn(env, name) ? env[name] : undefined;
  if (value === undefined) return { text, substituted: true, missing: name };
  return { text: value, substituted: true };
}
