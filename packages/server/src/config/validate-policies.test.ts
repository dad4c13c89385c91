import { describe, expect, it } from 'vitest';
import { parseConfig } from './load-config.js';
import { ConfigError, type ConfigProblem } from './problems.js';

function lineOf(text: string, needle: string, n = 1): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === n) return i + 1;
  throw new Error(`'${needle}' not in text`);
}

async function problemsOf(text: string, env: Record<string, string> = {}): Promise<ConfigProblem[]> {
  try {
    await parseConfig(text, { env });
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('the config was accepted');
}

const ADMIN = 'a'.repeat(64);
const A = '1'.repeat(64);
const B = '2'.repeat(64);
const BASE = `admin:
  identity: ${ADMIN}
tls:
  key: ./server.key
  cert: ./server.cert
keystore:
  memory:
`;

describe('policy (spec §4.4)', () => {
  it('refuses an identity assigned to two policies with the upstream text, naming both lines', async () => {
    const text = `${BASE}policy:\n  one:\n    allow: [/v1/status]\n    identities:\n    - ${A}\n  two:\n    allow: [/v1/metrics]\n    identities:\n    - ${B}\n    - ${A}\n`;
    const [p, ...rest] = await problemsOf(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      path: 'policy.two.identities[1]',
      line: lineOf(text, `- ${A}`, 2),
      message: `kes: cannot assign policy 'two' to '${A}': identity already has a policy`,
      related: [{ path: 'policy.one.identities[0]', line: lineOf(text, `- ${A}`) }],
    });
  });

  it('refuses an identity listed twice in one policy', async () => {
    const text = `${BASE}policy:\n  one:\n    identities: [${A}, ${A}]\n`;
    const [p] = await problemsOf(text);
    expect(p!.message).toBe(`kes: cannot assign policy 'one' to '${A}': identity already has a policy`);
    expect(p!.hint).toMatch(/twice in this policy/);
  });

  it('refuses the admin in a policy with the upstream text', async () => {
    const text = `${BASE}policy:\n  ops:\n    allow: ['/v1/*']\n    identities:\n    - ${ADMIN}\n`;
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ path: 'policy.ops.identities[0]', line: lineOf(text, `- ${ADMIN}`), message: `kesconf: invalid policy 'ops': identity '${ADMIN}' is already admin` });
  });

  it('refuses a TLS proxy in a policy with the upstream text', async () => {
    const text = BASE.replace('  cert: ./server.cert\n', `  cert: ./server.cert\n  proxy:\n    identities: [${B}]\n`) + `policy:\n  p:\n    identities: [${B}]\n`;
    const [p] = await problemsOf(text);
    expect(p!.message).toBe(`kesconf: invalid policy 'p': identity '${B}' is already a TLS proxy`);
    expect(p!.related).toEqual([{ path: 'tls.proxy.identities[0]', line: lineOf(text, 'identities:') }]);
  });

  it('refuses invalid policy names and identities with the upstream texts', async () => {
    const text = `${BASE}policy:\n  bad.name:\n    identities: ["has space"]\n`;
    const problems = await problemsOf(text);
    expect(problems.map((p) => p.message)).toEqual([
      "kes: policy name 'bad.name' is empty, too long or contains invalid characters",
      "kes: identity 'has space' is empty, too long or contains invalid characters",
    ]);
  });

  it('takes allow/deny entries literally and substitutes identities', async () => {
    const text = `${BASE}policy:\n  p:\n    allow: ['\${X}']\n    deny: ['\${X}']\n    identities: ['\${ID}']\n`;
    const config = await parseConfig(text, { env: { X: 'nope', ID: A } });
    expect(config.policies['p']).toEqual({ allow: ['${X}'], deny: ['${X}'], identities: [A] });
  });

  it('an identity from an empty variable is an invalid identity', async () => {
    const [p] = await problemsOf(`${BASE}policy:\n  p:\n    identities: ['\${ID}']\n`, { ID: '' });
    expect(p!.message).toBe("kes: identity '' is empty, too long or contains invalid characters");
  });

  it('a policy nested in another one is an indentation slip', async () => {
    const text = `${BASE}policy:\n  minio:\n    allow: [/v1/status]\n    my-app:\n      allow: [/v1/key/create/app*]\n      identities: [${A}]\n`;
    const [p] = await problemsOf(text);
    expect(p).toMatchObject({ path: 'policy.minio.my-app', line: lineOf(text, 'my-app:'), message: "policy 'my-app' is nested inside policy 'minio'" });
    expect(p!.hint).toContain(`un-indent 'my-app:' to the level of 'minio:' (line ${lineOf(text, 'minio:')})`);
  });

  it('a misspelt policy field is an error, an unrelated one a warning', async () => {
    const [p] = await problemsOf(`${BASE}policy:\n  p:\n    alow: [/v1/status]\n`);
    expect(p).toMatchObject({ path: 'policy.p.alow', hint: "did you mean 'allow'?" });
    const config = await parseConfig(`${BASE}policy:\n  p:\n    comment: hello\n`, { env: {} });
    expect(config.warnings.map((w) => w.path)).toEqual(['policy.p.comment']);
  });

  it('an empty policy is kept (it allows nothing) with a warning', async () => {
    const config = await parseConfig(`${BASE}policy:\n  empty:\n`, { env: {} });
    expect(config.policies['empty']).toEqual({ allow: [], deny: [], identities: [] });
    expect(config.warnings[0]!.message).toBe("policy 'empty' is empty and allows nothing");
  });
});
