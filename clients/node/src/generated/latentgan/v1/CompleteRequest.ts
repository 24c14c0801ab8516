// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { ImageBatch as _latentgan_v1_ImageBatch, ImageBatch__Output as _latentgan_v1_ImageBatch__Output } from '../../latentgan/v1/ImageBatch.js';
import type { ImageEncoding as _latentgan_v1_ImageEncoding, ImageEncoding__Output as _latentgan_v1_ImageEncoding__Output } from '../../latentgan/v1/ImageEncoding.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Request of Complete.
 */
export interface CompleteRequest {
  /**
   * Model name, or NAME@VERSION.
   */
  'model'?: (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version'?: (number);
  /**
   * Exactly one image, as for Project (any size, 1, 3 or 4 channels; fitted by the same rule).
   */
  'image'?: (_latentgan_v1_ImageBatch | null);
  /**
   * A preset naming the unknown part: center, left, right, top, bottom, or random:P (a share
   * P in (0, 1) of the pixels, chosen by `seed`).
   */
  'maskPreset'?: (string);
  /**
   * A one-image batch, grey or colour at any size, fitted like the image: a pixel is known
   * where it is at least 128 (white). It must have known and unknown pixels.
   */
  'maskImage'?: (_latentgan_v1_ImageBatch | null);
  /**
   * Completions to return (1 .. the server's limit); 0: 4.
   */
  'k'?: (number);
  /**
   * Optimiser steps (1 .. the server's limit); unset: 200.
   */
  'steps'?: (number);
  /**
   * The image's class for a conditional model; unset: the evaluator's prediction for the image.
   */
  'label'?: (number);
  /**
   * Seed of the optimiser's starts (and of a random mask).
   */
  'seed'?: (number | string | Long);
  /**
   * How to send the completions back; unset: raw.
   */
  'encoding'?: (_latentgan_v1_ImageEncoding);
  /**
   * Which pixels are known; required.
   */
  'mask'?: "maskPreset"|"maskImage";
  '_steps'?: "steps";
  '_label'?: "label";
}

/**
 * Request of Complete.
 */
export interface CompleteRequest__Output {
  /**
   * Model name, or NAME@VERSION.
   */
  'model': (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version': (number);
  /**
   * Exactly one image, as for Project (any size, 1, 3 or 4 channels; fitted by the same rule).
   */
  'image': (_latentgan_v1_ImageBatch__Output | null);
  /**
   * A preset naming the unknown part: center, left, right, top, bottom, or random:P (a share
   * P in (0, 1) of the pixels, chosen by `seed`).
   */
  'maskPreset'?: (string);
  /**
   * A one-image batch, grey or colour at any size, fitted like the image: a pixel is known
   * where it is at least 128 (white). It must have known and unknown pixels.
   */
  'maskImage'?: (_latentgan_v1_ImageBatch__Output | null);
  /**
   * Completions to return (1 .. the server's limit); 0: 4.
   */
  'k': (number);
  /**
   * Optimiser steps (1 .. the server's limit); unset: 200.
   */
  'steps'?: (number);
  /**
   * The image's class for a conditional model; unset: the evaluator's prediction for the image.
   */
  'label'?: (number);
  /**
   * Seed of the optimiser's starts (and of a random mask).
   */
  'seed': (string);
  /**
   * How to send the completions back; unset: raw.
   */
  'encoding': (_latentgan_v1_ImageEncoding__Output);
  /**
   * Which pixels are known; required.
   */
  'mask'?: "maskPreset"|"maskImage";
  '_steps'?: "steps";
  '_label'?: "label";
}
