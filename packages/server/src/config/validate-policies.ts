import { isValidName } from '@kes/core';
import type { ConfigReader, Path } from './reader.js';
import type { PolicyConfig } from './server-config.js';
import { closestName } from './suggest.js';
import { isNull, uniqueEntries, type TreeNode } from './yaml-tree.js';

const POLICY_FIELDS = ['allow', 'deny', 'identities'];

/**
 * Reads `policy:` (spec §4.4): valid policy names and identities, each identity in at most one policy, the admin in
 * none, no TLS proxy in any. `allow`/`deny` entries are taken literally (no `${VAR}` substitution).
 * A mapping nested in a policy that itself looks like a policy is reported as an indentation slip.
 * @param admin - the admin identity (if known), to refuse it in policies.
 * @param proxies - TLS proxy identities and where they were given.
 */
export function readPolicies(r: ConfigReader, admin: string | undefined, proxies: ReadonlyMap<string, Path>): Record<string, PolicyConfig> {
  const policies: Record<string, PolicyConfig> = {};
  const section = r.map(r.node(['policy']), ['policy']);
  if (section === undefined) return policies;
  const owner = new Map<string, { policy: string; path: Path }>();
  for (const entry of uniqueEntries(section)) {
    const name = entry.key;
    const path: Path = ['policy', name];
    if (!isValidName(name)) {
      r.error(path, `kes: policy name '${name}' is empty, too long or contains invalid characters`, NAME_HINT);
    }
    const body = r.map(entry.value, path);
    if (body === undefined && isNull(entry.value)) {
      r.warn(path, `policy '${name}' is empty and allows nothing`, 'add allow patterns and identities below it, or delete it');
    }
    const allow = body ? patterns(r, body.entries.find((e) => e.key === 'allow')?.value, [...path, 'allow']) : [];
    const deny = body ? patterns(r, body.entries.find((e) => e.key === 'deny')?.value, [...path, 'deny']) : [];
    const identities: string[] = [];
    const idsPath: Path = [...path, 'identities'];
    const items = body ? r.seq(body.entries.find((e) => e.key === 'identities')?.value, idsPath) ?? [] : [];
    items.forEach((item, i) => {
      const id = r.text(item, [...idsPath, i]);
      if (id === undefined) return;
      const at: Path = [...idsPath, i];
      if (!isValidName(id)) {
        r.error(at, `kes: identity '${id}' is empty, too long or contains invalid characters`, IDENTITY_HINT);
        return;
      }
      if (admin !== undefined && id === admin) {
        r.error(at, `kesconf: invalid policy '${name}': identity '${id}' is already admin`, 'the admin may do everything already: remove it from the policy');
      }
      const proxy = proxies.get(id);
      if (proxy !== undefined) {
        r.error(at, `kesconf: invalid policy '${name}': identity '${id}' is already a TLS proxy`, 'a TLS proxy cannot have a policy: remove it here or from tls.proxy.identities', [proxy]);
      }
      const previous = owner.get(id);
      if (previous !== undefined) {
        const hint =
          previous.policy === name
            ? 'the identity is listed twice in this policy: remove one of the entries'
            : `an identity can have only one policy: remove it from '${previous.policy}' or from '${name}'`;
        r.error(at, `kes: cannot assign policy '${name}' to '${id}': identity already has a policy`, hint, [previous.path]);
        return;
      }
      owner.set(id, { policy: name, path: at });
      identities.push(id);
    });
    if (body) checkPolicyFields(r, body.entries, name, entry.line);
    policies[name] = { allow, deny, identities };
  }
  return policies;
}

// --- Internal helpers ---

const NAME_HINT = "names are 1-80 characters from A-Z a-z 0-9 '_' '-', must not start or end with '-' and must not be '_'";
const IDENTITY_HINT = "an identity is the 64-character hex SHA-256 of the client certificate's public key: 'kes identity of <cert>' prints it";

function patterns(r: ConfigReader, node: TreeNode | undefined, path: Path): string[] {
  const out: string[] = [];
  (r.seq(node, path) ?? []).forEach((item, i) => {
    const text = r.text(item, [...path, i], { env: false });
    if (text === undefined) return;
    if (text === '') r.warn([...path, i], 'empty pattern never matches', 'delete the empty entry');
    out.push(text);
  });
  return out;
}

/** Unknown keys in a policy: a nested policy is an indentation slip (error); anything else is ignored (warning). */
function checkPolicyFields(r: ConfigReader, entries: readonly { key: string; line: number; value: TreeNode }[], policy: string, policyLine: number): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (POLICY_FIELDS.includes(e.key) || seen.has(e.key)) continue;
    seen.add(e.key);
    const path: Path = ['policy', policy, e.key];
    const nested = e.value.kind === 'map' && e.value.entries.some((f) => POLICY_FIELDS.includes(f.key));
    if (nested) {
      r.error(
        path,
        `policy '${e.key}' is nested inside policy '${policy}'`,
        `un-indent '${e.key}:' to the level of '${policy}:' (line ${policyLine}) so that it becomes a policy of its own`,
      );
      continue;
    }
    if (isNull(e.value)) {
      r.warn(path, `unknown policy field '${e.key}' is ignored`, `if '${e.key}' is meant as a policy of its own, un-indent it to the level of '${policy}:' (line ${policyLine})`);
      continue;
    }
    const suggestion = closestName(e.key, POLICY_FIELDS);
    if (suggestion !== undefined) r.error(path, `unknown policy field '${e.key}'`, `did you mean '${suggestion}'?`);
    else r.warn(path, `unknown policy field '${e.key}' is ignored`, `a policy has only ${POLICY_FIELDS.join(', ')}`);
  }
}
