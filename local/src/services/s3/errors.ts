import { ApiError } from '../../protocol';

/** An S3 error about a bucket (restXml: `<Error>` with `Code`, `Message`, `BucketName`). */
export class S3Error extends ApiError {
  constructor(code: string, message: string, status: number, public readonly bucketName: string) {
    super(code, message, { status });
  }
}
