import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

/** Every command path of the CLI. */
const COMMANDS = [
  [],
  ['identity'],
  ['identity', 'new'],
  ['identity', 'of'],
  ['identity', 'info'],
  ['identity', 'ls'],
  ['key'],
  ['key', 'create'],
  ['key', 'import'],
  ['key', 'info'],
  ['key', 'ls'],
  ['key', 'rm'],
  ['key', 'encrypt'],
  ['key', 'decrypt'],
  ['key', 'dek'],
  ['policy'],
  ['policy', 'info'],
  ['policy', 'ls'],
  ['policy', 'show'],
  ['ls'],
  ['log'],
  ['status'],
  ['metric'],
  ['migrate'],
];

describe('kes --help', () => {
  it.each(COMMANDS.map((c) => [c.join(' ') || '(root)', c] as const))('%s --help prints usage to stdout and exits 0', async (_name, path) => {
    const r = await runCli([...path, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^Usage: kes${path.length ? ' ' + path.join(' ') : ''} `));
    expect(r.stdout).toMatch(/Options:/);
  });

  it('server --help prints the flags of the shared server launcher', async () => {
    const r = await runCli(['server', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage:\n {4}kes server \[options\]\n/);
    for (const flag of ['--addr', '--config', '--dev', '--mlock', '--auth', '--key', '--cert']) expect(r.stdout).toContain(flag);
  });

  it('the root help lists every command and the environment variables', async () => {
    const { stdout } = await runCli(['--help']);
    for (const cmd of ['server', 'identity', 'key', 'policy', 'ls', 'log', 'status', 'metric', 'migrate']) {
      expect(stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    }
    for (const env of ['KES_SERVER', 'KES_API_KEY', 'KES_CLIENT_CERT', 'KES_CLIENT_KEY', 'MINIO_KES_SERVER', 'KES_CA_PATH', 'KES_FORCE_TTY']) {
      expect(stdout).toContain(env);
    }
  });

  it('leaf commands show examples', async () => {
    for (const path of [['key', 'dek'], ['identity', 'new'], ['migrate'], ['status']]) {
      expect((await runCli([...path, '--help'])).stdout).toMatch(/Examples:\n {2}\$ kes /);
    }
  });
});

describe('usage errors', () => {
  it('a command group without a command prints its help to stderr and exits 2', async () => {
    for (const path of [[], ['key'], ['policy']]) {
      const r = await runCli(path);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^Usage: kes/);
    }
  });

  it('unknown commands and options, missing and excess arguments: one Error line, exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /^Error: unknown command 'frobnicate'.* See 'kes --help'\n$/],
      [['key', 'crate', 'x'], /^Error: unknown command 'crate' \(Did you mean create\?\)\. See 'kes key --help'\n$/],
      [['key', 'create'], /^Error: missing required argument 'name'\. See 'kes key create --help'\n$/],
      [['key', 'info', 'a', 'b'], /^Error: too many arguments for 'info'.*See 'kes key info --help'\n$/],
      [['status', '--frob'], /^Error: unknown option '--frob'.* See 'kes status --help'\n$/],
      [['key', 'info', 'k', '--color', 'sometimes'], /^Error: option '--color <when>' argument 'sometimes' is invalid.*See 'kes key info --help'\n$/],
      [['metric', '--rate', 'soon'], /^Error: option '--rate <DURATION>' argument 'soon' is invalid.*See 'kes metric --help'\n$/],
      [['log', '--audit', '--error'], /^Error: option '--audit' cannot be used with option '--error'.*\n$/],
      [['migrate', '--from', 'a', '--to', 'b', '--force', '--merge'], /^Error: option '-f, --force' cannot be used with option '--merge'.*\n$/],
      [['migrate', '--to', 'b.yml'], /^Error: no migration source specified: use '--from' to name a config file\. See 'kes migrate --help'\n$/],
      [['migrate', '--from', 'a.yml'], /^Error: no migration target specified/],
      [['migrate', '--from', 'a.yml', '--to', 'b.yml', '[a-'], /^Error: invalid pattern '\[a-'.*See 'kes migrate --help'\n$/],
      [['identity', 'new', '--key', 'k.pem'], /^Error: private key file specified but no certificate file/],
      [['identity', 'new', '--expiry', 'forever', 'x'], /^Error: invalid --expiry 'forever'/],
      [['ls', '-i', '-p'], /^Error: '--identity' and '--policy' cannot be used together\. See 'kes ls --help'\n$/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });

  it('-v/--version prints version, runtime, license and copyright', async () => {
    for (const flag of ['-v', '--version']) {
      const r = await runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Version +\S+\nRuntime +node v\d+.*\nLicense +.+\nCopyright +.+\n$/);
    }
  });
});
