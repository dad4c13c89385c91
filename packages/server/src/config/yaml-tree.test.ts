import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYamlTree, type MapNode, type ScalarNode } from './yaml-tree.js';

describe('parseYamlTree', () => {
  it('keeps key lines, scalar texts and whether they were quoted', () => {
    const { root, problems } = parseYamlTree('a: 1\nb:\n  c: "x"\nd: [1, two]\n');
    expect(problems).toEqual([]);
    const map = root as MapNode;
    expect(map.entries.map((e) => [e.key, e.line])).toEqual([
      ['a', 1],
      ['b', 2],
      ['d', 4],
    ]);
    expect(map.entries[0]!.value).toMatchObject({ kind: 'scalar', value: 1, text: '1', plain: true });
    expect((map.entries[1]!.value as MapNode).entries[0]).toMatchObject({ key: 'c', line: 3, value: { value: 'x', plain: false } });
    expect(map.entries[2]!.value).toMatchObject({ kind: 'seq', items: [{ value: 1 }, { value: 'two' }] });
  });

  it('gives empty values null and the key’s line', () => {
    const map = parseYamlTree('x:\n\ny: 2\n').root as MapNode;
    expect(map.entries[0]!.value).toEqual({ kind: 'scalar', line: 1, value: null, text: '', plain: true });
  });

  it('keeps duplicate keys instead of failing', () => {
    const map = parseYamlTree('a: 1\nb: 2\na: 3\n').root as MapNode;
    expect(map.entries.map((e) => e.key)).toEqual(['a', 'b', 'a']);
  });

  it('resolves aliases and << merges (explicit keys win, merged ones are not duplicates)', () => {
    const map = parseYamlTree('base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n').root as MapNode;
    const use = map.entries[1]!.value as MapNode;
    expect(use.entries.map((e) => [e.key, (e.value as ScalarNode).value, e.merged])).toEqual([
      ['y', 3, false],
      ['x', 1, true],
    ]);
  });

  it('an empty or comment-only document has no root', () => {
    expect(parseYamlTree('').root).toBeUndefined();
    expect(parseYamlTree('# nothing\n').root).toBeUndefined();
  });

  it('reports syntax errors with lines instead of throwing', () => {
    const { problems } = parseYamlTree('a: 1\nb: [\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses multiple documents', () => {
    expect(parseYamlTree('a: 1\n---\nb: 2\n').problems.length).toBeGreaterThan(0);
  });

  it('never throws (property)', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', ':', ' ', '\n', '-', '[', ']', '{', '}', '&', '*', '<<', '"', '#', '\t', '@', '!') }), (s) => void parseYamlTree(s)), { numRuns: 500 });
  });
});
