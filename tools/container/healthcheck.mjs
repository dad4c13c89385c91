#!/usr/bin/env node
/**
 * The container image's HEALTHCHECK: asks the server in the same container for GET /version (the one KES route that
 * needs no identity) and exits 0 when it answers 200 with a JSON version, 1 otherwise (one line on stderr says why).
 *
 * Where: KES_HEALTHCHECK_URL if set; else https://127.0.0.1:<port>, the port taken from KES_SERVER_ADDR
 * (`ip:port` or `:port`) or 7373, the default of `kes server --config`.
 * TLS: the server certificate is not verified (this is a liveness probe of our own process over loopback). KES
 * servers require a client certificate in the handshake, so the probe presents one: KES_CLIENT_CERT/KES_CLIENT_KEY
 * when both are set and readable (needed when the config has `tls.auth: on`), else the certificate of KES_API_KEY,
 * else a throw-away self-signed one. Nothing is logged about keys. Timeout: 4 s (the HEALTHCHECK allows 5 s).
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { ApiKey, createCertificateForApiKey } from '@kes/core';

const TIMEOUT_MS = 4000;

function target(env) {
  if (env.KES_HEALTHCHECK_URL) return new URL('/version', env.KES_HEALTHCHECK_URL);
  const port = /:(\d+)$/.exec(env.KES_SERVER_ADDR ?? '')?.[1] ?? '7373';
  return new URL(`https://127.0.0.1:${port}/version`);
}

async function clientCertificate(env) {
  if (env.KES_CLIENT_CERT && env.KES_CLIENT_KEY) {
    try {
      return { cert: readFileSync(env.KES_CLIENT_CERT), key: readFileSync(env.KES_CLIENT_KEY) };
    } catch {
      // Not readable in here: fall through to a certificate of our own.
    }
  }
  let apiKey;
  try {
    apiKey = env.KES_API_KEY ? ApiKey.parse(env.KES_API_KEY) : ApiKey.generate();
  } catch {
    apiKey = ApiKey.generate();
  }
  const { certPem, keyPem } = await createCertificateForApiKey(apiKey, { validForDays: 1 });
  return { cert: certPem, key: keyPem };
}

function probe(url, tls) {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', rejectUnauthorized: false, ...tls, timeout: TIMEOUT_MS }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(`GET ${url} answered ${res.statusCode}`);
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve(typeof body.version === 'string' ? undefined : `GET ${url} answered without a version`);
        } catch {
          resolve(`GET ${url} answered something that is not JSON`);
        }
      });
      res.on('error', (err) => resolve(`GET ${url}: ${err.message}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (err) => resolve(`GET ${url}: ${err.message}`));
    req.end();
  });
}

const url = target(process.env);
const problem = await probe(url, await clientCertificate(process.env));
if (problem) {
  process.stderr.write(`unhealthy: ${problem}\n`);
  process.exit(1);
}
process.stdout.write('healthy\n');
