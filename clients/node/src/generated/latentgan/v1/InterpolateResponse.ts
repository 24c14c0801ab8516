// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { ImageBatch as _latentgan_v1_ImageBatch, ImageBatch__Output as _latentgan_v1_ImageBatch__Output } from '../../latentgan/v1/ImageBatch.js';

/**
 * Response of Interpolate.
 */
export interface InterpolateResponse {
  /**
   * The frames, steps x H x W x C, from start to end.
   */
  'frames'?: (_latentgan_v1_ImageBatch | null);
  /**
   * The model version that made them, as NAME@VERSION.
   */
  'model'?: (string);
}

/**
 * Response of Interpolate.
 */
export interface InterpolateResponse__Output {
  /**
   * The frames, steps x H x W x C, from start to end.
   */
  'frames': (_latentgan_v1_ImageBatch__Output | null);
  /**
   * The model version that made them, as NAME@VERSION.
   */
  'model': (string);
}
