import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** The S3 error codes the sandbox answers with, as real S3 spells them. */
export type S3ErrorCode =
  | 'AccessDenied'
  | 'AuthorizationQueryParametersError'
  | 'EntityTooLarge'
  | 'IncompleteBody'
  | 'InternalError'
  | 'InvalidArgument'
  | 'InvalidAccessKeyId'
  | 'MethodNotAllowed'
  | 'MissingContentLength'
  | 'NoSuchBucket'
  | 'NoSuchKey'
  | 'NoSuchUpload'
  | 'ServiceUnavailable'
  | 'SignatureDoesNotMatch';

export interface S3Failure {
  readonly status: number;
  readonly code: S3ErrorCode;
  readonly message: string;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The XML body S3 sends with an error, so clients parse sandbox errors exactly like real ones. */
function s3ErrorXml(failure: S3Failure): string {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Error><Code>${failure.code}</Code><Message>${escapeXml(failure.message)}</Message>` +
    `<RequestId>${requestId}</RequestId><HostId>ferry-sandbox</HostId></Error>`
  );
}

export function sendS3Error(res: ServerResponse, failure: S3Failure): void {
  const body = s3ErrorXml(failure);
  res.writeHead(failure.status, {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
