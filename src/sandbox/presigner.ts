import { PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** Where presigned URLs point on the sandbox's public port: `/s3/<bucket>/<key>`. */
export const OBJECT_PATH_PREFIX = '/s3';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

/** Presigns PUT and UploadPart URLs with the AWS SDK, exactly as a vendor backed by S3 does. */
export class Presigner {
  private readonly client: S3Client;

  constructor(
    publicEndpoint: string,
    private readonly bucket: string,
    credentials: S3Credentials,
    private readonly ttlSeconds: number,
  ) {
    this.client = new S3Client({
      endpoint: `${publicEndpoint}${OBJECT_PATH_PREFIX}`,
      forcePathStyle: true,
      region: credentials.region,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      // Otherwise the SDK bakes an empty-body CRC32 into the URL, which real S3 rejects
      // for any non-empty upload.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  }

  get expiresInSeconds(): number {
    return this.ttlSeconds;
  }

  put(key: string): Promise<string> {
    return getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: this.ttlSeconds,
    });
  }

  part(key: string, uploadId: string, partNumber: number): Promise<string> {
    const command = new UploadPartCommand({
      Bucket: this.bucket,
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
    });
    return getSignedUrl(this.client, command, { expiresIn: this.ttlSeconds });
  }

  close(): void {
    this.client.destroy();
  }
}
