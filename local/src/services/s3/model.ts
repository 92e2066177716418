/** One tag of a bucket's tag set. */
export interface BucketTag {
  readonly Key: string;
  readonly Value: string;
}
