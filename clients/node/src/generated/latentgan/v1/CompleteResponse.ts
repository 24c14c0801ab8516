// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { ImageBatch as _latentgan_v1_ImageBatch, ImageBatch__Output as _latentgan_v1_ImageBatch__Output } from '../../latentgan/v1/ImageBatch.js';
import type { LatentBatch as _latentgan_v1_LatentBatch, LatentBatch__Output as _latentgan_v1_LatentBatch__Output } from '../../latentgan/v1/LatentBatch.js';

/**
 * Response of Complete.
 */
export interface CompleteResponse {
  /**
   * The model version that completed it, as NAME@VERSION.
   */
  'model'?: (string);
  /**
   * The k completions, best first, k x H x W x C at the model's shape: the known pixels exactly
   * the fitted input's, the seam blended.
   */
  'completions'?: (_latentgan_v1_ImageBatch | null);
  /**
   * Each completion's loss (weighted context loss plus the discriminator prior), ascending.
   */
  'losses'?: (number | string)[];
  /**
   * Each completion's latent, in order.
   */
  'latents'?: (_latentgan_v1_LatentBatch | null);
  /**
   * The known-pixel mask used, 1 x H x W x 1 (255 known, 0 unknown), at the model's size.
   */
  'mask'?: (_latentgan_v1_ImageBatch | null);
  /**
   * The class completed with (conditional models; unset otherwise).
   */
  'label'?: (number);
  '_label'?: "label";
}

/**
 * Response of Complete.
 */
export interface CompleteResponse__Output {
  /**
   * The model version that completed it, as NAME@VERSION.
   */
  'model': (string);
  /**
   * The k completions, best first, k x H x W x C at the model's shape: the known pixels exactly
   * the fitted input's, the seam blended.
   */
  'completions': (_latentgan_v1_ImageBatch__Output | null);
  /**
   * Each completion's loss (weighted context loss plus the discriminator prior), ascending.
   */
  'losses': (number)[];
  /**
   * Each completion's latent, in order.
   */
  'latents': (_latentgan_v1_LatentBatch__Output | null);
  /**
   * The known-pixel mask used, 1 x H x W x 1 (255 known, 0 unknown), at the model's size.
   */
  'mask': (_latentgan_v1_ImageBatch__Output | null);
  /**
   * The class completed with (conditional models; unset otherwise).
   */
  'label'?: (number);
  '_label'?: "label";
}
