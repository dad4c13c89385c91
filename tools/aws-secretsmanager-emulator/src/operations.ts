import type { Input } from './input.js';
import type { Operation } from './knobs.js';
import type { OpContext } from './op-context.js';
import { describeSecret, getSecretValue } from './ops-read.js';
import { listSecrets } from './ops-list.js';
import { createSecret, deleteSecret, restoreSecret } from './ops-write.js';

/** An operation handler: the response body, or an `AwsError` thrown. */
export type OperationHandler = (input: Input, ctx: OpContext) => object;

/** Every implemented operation by its `X-Amz-Target` name (`secretsmanager.<Operation>`). */
export const HANDLERS: Readonly<Record<Operation, OperationHandler>> = {
  CreateSecret: createSecret,
  GetSecretValue: getSecretValue,
  DescribeSecret: describeSecret,
  DeleteSecret: deleteSecret,
  RestoreSecret: restoreSecret,
  ListSecrets: listSecrets,
};

/** Operations that change state (the `lostResponses` knob applies to these). */
export const MUTATING: ReadonlySet<Operation> = new Set<Operation>(['CreateSecret', 'DeleteSecret', 'RestoreSecret']);

/** The operation an `X-Amz-Target` header names, or `undefined`. Never throws. */
export function operationOf(target: string | undefined): Operation | undefined {
  if (target === undefined || !target.startsWith('secretsmanager.')) return undefined;
  const name = target.slice('secretsmanager.'.length);
  return Object.hasOwn(HANDLERS, name) ? (name as Operation) : undefined;
}
