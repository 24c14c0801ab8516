// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { ImageBatch as _latentgan_v1_ImageBatch, ImageBatch__Output as _latentgan_v1_ImageBatch__Output } from '../../latentgan/v1/ImageBatch.js';

/**
 * Response of Edit.
 */
export interface EditResponse {
  /**
   * The images, (rows x strengths) x H x W x C, row-major: row r's images come together, one
   * per strength in order.
   */
  'images'?: (_latentgan_v1_ImageBatch | null);
  /**
   * The model version that made them, as NAME@VERSION.
   */
  'model'?: (string);
  /**
   * The class label of each row (empty for an unconditional model).
   */
  'labels'?: (number)[];
  /**
   * The number of rows (latents).
   */
  'rows'?: (number);
  /**
   * The strengths of the columns, in order.
   */
  'strengths'?: (number | string)[];
}

/**
 * Response of Edit.
 */
export interface EditResponse__Output {
  /**
   * The images, (rows x strengths) x H x W x C, row-major: row r's images come together, one
   * per strength in order.
   */
  'images': (_latentgan_v1_ImageBatch__Output | null);
  /**
   * The model version that made them, as NAME@VERSION.
   */
  'model': (string);
  /**
   * The class label of each row (empty for an unconditional model).
   */
  'labels': (number)[];
  /**
   * The number of rows (latents).
   */
  'rows': (number);
  /**
   * The strengths of the columns, in order.
   */
  'strengths': (number)[];
}
