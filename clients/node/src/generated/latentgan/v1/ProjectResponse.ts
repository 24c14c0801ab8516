// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { LatentBatch as _latentgan_v1_LatentBatch, LatentBatch__Output as _latentgan_v1_LatentBatch__Output } from '../../latentgan/v1/LatentBatch.js';
import type { ImageBatch as _latentgan_v1_ImageBatch, ImageBatch__Output as _latentgan_v1_ImageBatch__Output } from '../../latentgan/v1/ImageBatch.js';
import type { ProjectionMethod as _latentgan_v1_ProjectionMethod, ProjectionMethod__Output as _latentgan_v1_ProjectionMethod__Output } from '../../latentgan/v1/ProjectionMethod.js';

/**
 * Response of Project.
 */
export interface ProjectResponse {
  /**
   * The model version projected into, as NAME@VERSION.
   */
  'model'?: (string);
  /**
   * One latent per image, in order: pass them as `latents` to Sample, Interpolate or Edit.
   */
  'latents'?: (_latentgan_v1_LatentBatch | null);
  /**
   * The class label of each image (empty for an unconditional model): given, or predicted.
   */
  'labels'?: (number)[];
  /**
   * G(latent) for each image, N x H x W x C at the model's shape.
   */
  'reconstructions'?: (_latentgan_v1_ImageBatch | null);
  /**
   * Per image: mean squared difference of reconstruction and fitted input, in [-1, 1] units.
   */
  'pixelDistances'?: (number | string)[];
  /**
   * Per image: the feature distance on the evaluator's feature maps (the offline LPIPS).
   */
  'featureDistances'?: (number | string)[];
  /**
   * Per image: the optimiser steps its latent took (0: the encoder's guess as it was).
   */
  'steps'?: (number)[];
  /**
   * The method that ran (AUTO on a version without an encoder runs OPTIMIZE).
   */
  'method'?: (_latentgan_v1_ProjectionMethod);
}

/**
 * Response of Project.
 */
export interface ProjectResponse__Output {
  /**
   * The model version projected into, as NAME@VERSION.
   */
  'model': (string);
  /**
   * One latent per image, in order: pass them as `latents` to Sample, Interpolate or Edit.
   */
  'latents': (_latentgan_v1_LatentBatch__Output | null);
  /**
   * The class label of each image (empty for an unconditional model): given, or predicted.
   */
  'labels': (number)[];
  /**
   * G(latent) for each image, N x H x W x C at the model's shape.
   */
  'reconstructions': (_latentgan_v1_ImageBatch__Output | null);
  /**
   * Per image: mean squared difference of reconstruction and fitted input, in [-1, 1] units.
   */
  'pixelDistances': (number)[];
  /**
   * Per image: the feature distance on the evaluator's feature maps (the offline LPIPS).
   */
  'featureDistances': (number)[];
  /**
   * Per image: the optimiser steps its latent took (0: the encoder's guess as it was).
   */
  'steps': (number)[];
  /**
   * The method that ran (AUTO on a version without an encoder runs OPTIMIZE).
   */
  'method': (_latentgan_v1_ProjectionMethod__Output);
}
