// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { ImageBatch as _latentgan_v1_ImageBatch, ImageBatch__Output as _latentgan_v1_ImageBatch__Output } from '../../latentgan/v1/ImageBatch.js';
import type { ProjectionMethod as _latentgan_v1_ProjectionMethod, ProjectionMethod__Output as _latentgan_v1_ProjectionMethod__Output } from '../../latentgan/v1/ProjectionMethod.js';
import type { ImageEncoding as _latentgan_v1_ImageEncoding, ImageEncoding__Output as _latentgan_v1_ImageEncoding__Output } from '../../latentgan/v1/ImageEncoding.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Request of Project.
 */
export interface ProjectRequest {
  /**
   * Model name, or NAME@VERSION.
   */
  'model'?: (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version'?: (number);
  /**
   * The images (1 .. the server's limit): uint8 with 1, 3 or 4 channels at any size, raw (one
   * shape for all) or PNG (each its own size). Each is made into the model's input by one rule:
   * to the model's channels (luma or RGB, alpha composited onto black), padded to a square with
   * black, resized (box filter when shrinking) to the model's size.
   */
  'images'?: (_latentgan_v1_ImageBatch | null);
  /**
   * Class labels for a conditional model: none (the evaluator's prediction for each image),
   * one for every image, or one per image. Must be empty for an unconditional model.
   */
  'labels'?: (number)[];
  /**
   * How to find the latents; unset: auto.
   */
  'method'?: (_latentgan_v1_ProjectionMethod);
  /**
   * Optimiser steps (0 .. the server's limit); unset: the method's default (auto 100, optimize
   * 200, encoder 0).
   */
  'steps'?: (number);
  /**
   * Seed of the optimiser's starts: the same request gives the same latents.
   */
  'seed'?: (number | string | Long);
  /**
   * How to send the reconstructions back; unset: raw.
   */
  'encoding'?: (_latentgan_v1_ImageEncoding);
  '_steps'?: "steps";
}

/**
 * Request of Project.
 */
export interface ProjectRequest__Output {
  /**
   * Model name, or NAME@VERSION.
   */
  'model': (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version': (number);
  /**
   * The images (1 .. the server's limit): uint8 with 1, 3 or 4 channels at any size, raw (one
   * shape for all) or PNG (each its own size). Each is made into the model's input by one rule:
   * to the model's channels (luma or RGB, alpha composited onto black), padded to a square with
   * black, resized (box filter when shrinking) to the model's size.
   */
  'images': (_latentgan_v1_ImageBatch__Output | null);
  /**
   * Class labels for a conditional model: none (the evaluator's prediction for each image),
   * one for every image, or one per image. Must be empty for an unconditional model.
   */
  'labels': (number)[];
  /**
   * How to find the latents; unset: auto.
   */
  'method': (_latentgan_v1_ProjectionMethod__Output);
  /**
   * Optimiser steps (0 .. the server's limit); unset: the method's default (auto 100, optimize
   * 200, encoder 0).
   */
  'steps'?: (number);
  /**
   * Seed of the optimiser's starts: the same request gives the same latents.
   */
  'seed': (string);
  /**
   * How to send the reconstructions back; unset: raw.
   */
  'encoding': (_latentgan_v1_ImageEncoding__Output);
  '_steps'?: "steps";
}
