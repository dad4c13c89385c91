/** Assertions on KES wire responses. */
import { expect } from 'vitest';
import type { TestResponse } from './client.js';

/** Asserts a KES error response byte for byte: status, `application/json`, `Content-Length`, `{"message":…\n}`. */
export function expectKesError(res: TestResponse, status: number, message: string): void {
  const body = `{"message":${JSON.stringify(message).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n}`;
  expect({ status: res.status, body: res.text }).toEqual({ status, body });
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['content-length']).toBe(String(Buffer.byteLength(body)));
}

/** Asserts an empty 200: `Content-Length: 0` and no `Content-Type`. */
export function expectEmptyOk(res: TestResponse): void {
  expect({ status: res.status, body: res.text }).toEqual({ status: 200, body: '' });
  expect(res.headers['content-length']).toBe('0');
  expect(res.headers['content-type']).toBeUndefined();
}

/** Asserts a JSON 200 (`application/json`, trailing newline) and returns the parsed body. */
export function expectJsonOk<T = any>(res: TestResponse): T {
  expect(res.status, res.text).toBe(200);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.text.endsWith('\n')).toBe(true);
  return res.json<T>();
}
