import { request } from 'node:http';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { RunningSandbox } from '../../src/sandbox/sandbox.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * One HTTP request over node:http, answering the status, headers and body, or rejecting
 * with the socket error (ECONNRESET ...) so tests can tell a reset from an HTTP error.
 */
export function rawRequest(
  url: string,
  options: {
    readonly method?: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string | Buffer;
    readonly timeoutMs?: number;
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: {
          ...(body === undefined || options.headers?.['transfer-encoding'] !== undefined
            ? {}
            : { 'content-length': String(body.length) }),
          ...options.headers,
        },
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

export function postJson(
  sandbox: RunningSandbox,
  path: string,
  body: unknown,
  /** null sends no token at all. */
  token: string | null = sandbox.token,
): Promise<RawResponse> {
  return rawRequest(`${sandbox.endpoint}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { 'auth-api-token': token }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function getJson(
  sandbox: RunningSandbox,
  path: string,
  token: string = sandbox.token,
): Promise<RawResponse> {
  return rawRequest(`${sandbox.endpoint}${path}`, { headers: { 'auth-api-token': token } });
}

/** `POST /v1/uploads` and the presigned URL it answers. */
export async function lexerUrl(sandbox: RunningSandbox, filename: string): Promise<string> {
  const answer = await postJson(sandbox, '/v1/uploads', { filename });
  if (answer.status !== 200) throw new Error(`POST /v1/uploads answered ${answer.status}: ${answer.body}`);
  return (JSON.parse(answer.body) as { url: string }).url;
}

export function put(url: string, body: string | Buffer): Promise<RawResponse> {
  return rawRequest(url, { method: 'PUT', body });
}

export function s3ErrorCode(body: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
}

export function s3ErrorMessage(body: string): string | undefined {
  return /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
}

/** A presigned PUT signed by an outside client with the given credentials and signing date. */
export async function foreignPresignedPut(
  sandbox: RunningSandbox,
  key: string,
  options: { readonly accessKeyId?: string; readonly secretAccessKey?: string; readonly signingDate?: Date },
): Promise<string> {
  const client = new S3Client({
    endpoint: `${sandbox.endpoint}/s3`,
    forcePathStyle: true,
    region: sandbox.s3.region,
    credentials: {
      accessKeyId: options.accessKeyId ?? sandbox.s3.accessKeyId,
      secretAccessKey: options.secretAccessKey ?? sandbox.s3.secretAccessKey,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  try {
    return await getSignedUrl(client, new PutObjectCommand({ Bucket: sandbox.s3.bucket, Key: key }), {
      expiresIn: 3600,
      ...(options.signingDate === undefined ? {} : { signingDate: options.signingDate }),
    });
  } finally {
    client.destroy();
  }
}
