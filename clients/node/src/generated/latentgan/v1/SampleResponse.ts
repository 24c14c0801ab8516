// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { ImageBatch as _latentgan_v1_ImageBatch, ImageBatch__Output as _latentgan_v1_ImageBatch__Output } from '../../latentgan/v1/ImageBatch.js';

/**
 * Response of Sample.
 */
export interface SampleResponse {
  /**
   * The images, N x H x W x C.
   */
  'images'?: (_latentgan_v1_ImageBatch | null);
  /**
   * The model version that made them, as NAME@VERSION.
   */
  'model'?: (string);
  /**
   * The class label of each image (empty for an unconditional model).
   */
  'labels'?: (number)[];
}

/**
 * Response of Sample.
 */
export interface SampleResponse__Output {
  /**
   * The images, N x H x W x C.
   */
  'images': (_latentgan_v1_ImageBatch__Output | null);
  /**
   * The model version that made them, as NAME@VERSION.
   */
  'model': (string);
  /**
   * The class label of each image (empty for an unconditional model).
   */
  'labels': (number)[];
}
