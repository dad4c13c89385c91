import {
  DecryptionFailure,
  InternalServiceError,
  InvalidRequestException,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { Errors, type KesError } from '@kes/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awsErrorCode, isNetworkError, isPendingDeletion, sdkAttempts, translateAwsError, type AwsOperation } from './aws-errors.js';

const meta = (attempts = 1, httpStatusCode = 400) => ({ $metadata: { httpStatusCode, attempts } });
const exists = new ResourceExistsException({ message: 'The operation failed because the secret k already exists.', ...meta() });
const notFound = new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", ...meta() });
const scheduled = new InvalidRequestException({ message: "You can't create this secret because a secret with this name is already scheduled for deletion.", ...meta() });
const marked = new InvalidRequestException({ message: "You can't perform this operation on the secret because it was marked for deletion.", ...meta() });
const otherInvalid = new InvalidRequestException({ message: 'You tried to perform the operation on a secret that is not in a valid state.', ...meta() });
const service = (name: string, message: string, httpStatusCode = 400) =>
  new SecretsManagerServiceException({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', message, ...meta(3, httpStatusCode) });
/** A transport failure as the SDK rethrows it after its retries: a Node error with `$metadata` but no `$fault`. */
const transport = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code, $metadata: { attempts: 3, totalRetryDelay: 100 } });

const translate = (op: AwsOperation, err: unknown) => translateAwsError(op, 'my-key', err);

describe('translateAwsError', () => {
  it('maps the codes KES maps', () => {
    expect(translate('create', exists)).toMatchObject({ code: 'KEY_EXISTS', message: 'key does already exist' });
    expect(translate('get', notFound)).toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(translate('delete', notFound)).toMatchObject({ code: 'KEY_NOT_FOUND' });
  });

  it('treats a secret scheduled for deletion as absent on get (KES leaves this unmapped)', () => {
    expect(translate('get', marked)).toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(translate('get', scheduled)).toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(translate('get', otherInvalid)).toMatchObject({ code: 'READ_KEY_FAILED' });
  });

  it('turns transport failures and SDK timeouts into KEYSTORE_UNREACHABLE', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']) {
      const err = translate('list', transport(code));
      expect(err.code, code).toBe('KEYSTORE_UNREACHABLE');
      expect(err.message).toBe(`kes: keystore unreachable: aws: Error ${code}: connect ${code} 127.0.0.1:1`);
    }
    const timeout = Object.assign(new Error('@smithy/node-http-handler - the request socket did not establish a connection'), { name: 'TimeoutError' });
    expect(translate('get', timeout).code).toBe('KEYSTORE_UNREACHABLE');
    const wrapped = new Error('fetch failed', { cause: transport('ECONNRESET') });
    expect(translate('get', wrapped).code).toBe('KEYSTORE_UNREACHABLE');
  });

  it('reports everything else as the operation failure with an explaining cause that keeps the SDK error', () => {
    const cases: Array<[AwsOperation, unknown, string, string]> = [
      ['create', service('AccessDeniedException', 'User is not authorized to perform: secretsmanager:CreateSecret'), 'CREATE_KEY_FAILED',
        "aws: failed to create 'my-key': AccessDeniedException: User is not authorized to perform: secretsmanager:CreateSecret (HTTP 400)"],
      ['get', new DecryptionFailure({ message: 'KMS key is disabled', ...meta() }), 'READ_KEY_FAILED',
        "aws: failed to read 'my-key': cannot access: DecryptionFailure: KMS key is disabled (HTTP 400)"],
      ['delete', service('ThrottlingException', 'Rate exceeded'), 'DELETE_KEY_FAILED', "aws: failed to delete 'my-key': ThrottlingException: Rate exceeded (HTTP 400)"],
      ['list', new InternalServiceError({ message: 'An error occurred on the server side.', ...meta(3, 500) }), 'LIST_KEYS_FAILED',
        'aws: failed to list keys: InternalServiceError: An error occurred on the server side. (HTTP 500)'],
      ['create', scheduled, 'CREATE_KEY_FAILED', "aws: failed to create 'my-key': InvalidRequestException: You can't create this secret because a secret with this name is already scheduled for deletion. (HTTP 400)"],
      ['create', notFound, 'CREATE_KEY_FAILED', "aws: failed to create 'my-key': ResourceNotFoundException: Secrets Manager can't find the specified secret. (HTTP 400)"],
      ['get', exists, 'READ_KEY_FAILED', "aws: failed to read 'my-key': ResourceExistsException: The operation failed because the secret k already exists. (HTTP 400)"],
      ['get', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'READ_KEY_FAILED',
        "aws: failed to read 'my-key': CredentialsProviderError: Could not load credentials from any providers"],
    ];
    for (const [op, sdkError, code, causeMessage] of cases) {
      const err = translate(op, sdkError);
      expect(err.code, causeMessage).toBe(code);
      expect((err.cause as Error).message).toBe(causeMessage);
      expect((err.cause as Error).cause).toBe(sdkError);
    }
  });

  it('passes KesErrors through and never throws for arbitrary values', () => {
    const kes = Errors.keyNotFound();
    expect(translate('create', kes)).toBe(kes);
    fc.assert(
      fc.property(fc.constantFrom<AwsOperation>('create', 'get', 'delete', 'list'), fc.anything(), (op, value) => {
        const err: KesError = translate(op, value);
        expect(err.name).toBe('KesError');
      }),
    );
  });
});

describe('error classification', () => {
  it('recognizes service answers, attempts and pending deletions', () => {
    expect(awsErrorCode(exists)).toBe('ResourceExistsException');
    expect(awsErrorCode(transport('ECONNRESET'))).toBeUndefined();
    expect(awsErrorCode(new Error('x'))).toBeUndefined();
    expect(sdkAttempts(new ResourceExistsException({ message: 'm', ...meta(2) }))).toBe(2);
    expect(sdkAttempts({})).toBe(1);
    expect(isPendingDeletion(scheduled)).toBe(true);
    expect(isPendingDeletion(marked)).toBe(true);
    expect(isPendingDeletion(otherInvalid)).toBe(false);
    expect(isPendingDeletion(new Error('scheduled for deletion'))).toBe(false);
    expect(isNetworkError(exists)).toBe(false);
    expect(isNetworkError(null)).toBe(false);
  });
});
