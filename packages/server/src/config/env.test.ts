import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { substituteEnv } from './env.js';

describe('substituteEnv (spec §6.1)', () => {
  const env = { NAME: 'value', EMPTY: '', SPACED: ' x ' };

  it.each([
    ['${NAME}', 'value'],
    ['  ${NAME}  ', 'value'],
    ['${ NAME }', 'value'],
    ['${EMPTY}', ''],
    ['${SPACED}', ' x '],
  ])('replaces the whole trimmed scalar %j', (text, value) => {
    expect(substituteEnv(text, env)).toEqual({ text: value, substituted: true });
  });

  it.each(['a${NAME}b', '${NAME}b', 'a${NAME}', '$NAME', '${NAME', 'NAME}', '{NAME}', '$ {NAME}', ''])('leaves %j literal', (text) => {
    expect(substituteEnv(text, env)).toEqual({ text, substituted: false });
  });

  it('reports a variable that is not set (an empty one is set)', () => {
    expect(substituteEnv('${MISSING}', env)).toEqual({ text: '${MISSING}', substituted: true, missing: 'MISSING' });
    expect(substituteEnv('${ MISSING }', env).missing).toBe('MISSING');
  });

  it('does not see inherited properties as variables', () => {
    expect(substituteEnv('${toString}', {}).missing).toBe('toString');
  });

  it('text without the ${…} frame is never changed (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const t = s.trim();
        fc.pre(!(t.startsWith('${') && t.endsWith('}')));
        expect(substituteEnv(s, { X: 'y' })).toEqual({ text: s, substituted: false });
      }),
    );
  });

  it('any set variable is substituted verbatim (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,20}$/), fc.string(), (name, value) => {
        expect(substituteEnv(`\${${name}}`, { [name]: value })).toEqual({ text: value, substituted: true });
      }),
    );
  });
});
