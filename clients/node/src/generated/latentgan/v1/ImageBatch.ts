// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { ImageEncoding as _latentgan_v1_ImageEncoding, ImageEncoding__Output as _latentgan_v1_ImageEncoding__Output } from '../../latentgan/v1/ImageEncoding.js';

/**
 * A batch of uint8 images, N x H x W x C.
 */
export interface ImageBatch {
  /**
   * The batch's shape: [N, H, W, C].
   */
  'shape'?: (number)[];
  /**
   * How the pixels travel: raw in `data`, or PNG files in `png`.
   */
  'encoding'?: (_latentgan_v1_ImageEncoding);
  /**
   * With IMAGE_ENCODING_RAW: N*H*W*C bytes, row-major (image, row, column, channel).
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * With IMAGE_ENCODING_PNG: N PNG files, one per image, in order.
   */
  'png'?: (Buffer | Uint8Array | string)[];
}

/**
 * A batch of uint8 images, N x H x W x C.
 */
export interface ImageBatch__Output {
  /**
   * The batch's shape: [N, H, W, C].
   */
  'shape': (number)[];
  /**
   * How the pixels travel: raw in `data`, or PNG files in `png`.
   */
  'encoding': (_latentgan_v1_ImageEncoding__Output);
  /**
   * With IMAGE_ENCODING_RAW: N*H*W*C bytes, row-major (image, row, column, channel).
   */
  'data': (Buffer);
  /**
   * With IMAGE_ENCODING_PNG: N PNG files, one per image, in order.
   */
  'png': (Buffer)[];
}
