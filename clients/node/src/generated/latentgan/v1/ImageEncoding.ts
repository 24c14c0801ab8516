// Original file: ../../protos/latentgan/v1/latentgan.proto

/**
 * How the images of an ImageBatch travel.
 */
export const ImageEncoding = {
  /**
   * Not set: the same as IMAGE_ENCODING_RAW.
   */
  IMAGE_ENCODING_UNSPECIFIED: 'IMAGE_ENCODING_UNSPECIFIED',
  /**
   * Raw uint8 pixels in ImageBatch.data.
   */
  IMAGE_ENCODING_RAW: 'IMAGE_ENCODING_RAW',
  /**
   * One PNG file per image in ImageBatch.png.
   */
  IMAGE_ENCODING_PNG: 'IMAGE_ENCODING_PNG',
} as const;

/**
 * How the images of an ImageBatch travel.
 */
export type ImageEncoding =
  /**
   * Not set: the same as IMAGE_ENCODING_RAW.
   */
  | 'IMAGE_ENCODING_UNSPECIFIED'
  | 0
  /**
   * Raw uint8 pixels in ImageBatch.data.
   */
  | 'IMAGE_ENCODING_RAW'
  | 1
  /**
   * One PNG file per image in ImageBatch.png.
   */
  | 'IMAGE_ENCODING_PNG'
  | 2

/**
 * How the images of an ImageBatch travel.
 */
export type ImageEncoding__Output = typeof ImageEncoding[keyof typeof ImageEncoding]
