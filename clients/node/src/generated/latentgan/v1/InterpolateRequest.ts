// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { InterpolationEndpoint as _latentgan_v1_InterpolationEndpoint, InterpolationEndpoint__Output as _latentgan_v1_InterpolationEndpoint__Output } from '../../latentgan/v1/InterpolationEndpoint.js';
import type { InterpolationMethod as _latentgan_v1_InterpolationMethod, InterpolationMethod__Output as _latentgan_v1_InterpolationMethod__Output } from '../../latentgan/v1/InterpolationMethod.js';
import type { ImageEncoding as _latentgan_v1_ImageEncoding, ImageEncoding__Output as _latentgan_v1_ImageEncoding__Output } from '../../latentgan/v1/ImageEncoding.js';

/**
 * Request of Interpolate.
 */
export interface InterpolateRequest {
  /**
   * Model name, or NAME@VERSION.
   */
  'model'?: (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version'?: (number);
  /**
   * Where the walk starts.
   */
  'start'?: (_latentgan_v1_InterpolationEndpoint | null);
  /**
   * Where the walk ends.
   */
  'end'?: (_latentgan_v1_InterpolationEndpoint | null);
  /**
   * Number of frames, both ends included (2 .. the server's limit).
   */
  'steps'?: (number);
  /**
   * The path through latent space; unset: slerp.
   */
  'method'?: (_latentgan_v1_InterpolationMethod);
  /**
   * Truncation psi in [0, 1] applied along the path; unset: 1 (no truncation).
   */
  'truncation'?: (number | string);
  /**
   * How to send the frames back; unset: raw.
   */
  'encoding'?: (_latentgan_v1_ImageEncoding);
  '_truncation'?: "truncation";
}

/**
 * Request of Interpolate.
 */
export interface InterpolateRequest__Output {
  /**
   * Model name, or NAME@VERSION.
   */
  'model': (string);
  /**
   * Model version; 0 means the latest (or the one named in `model`).
   */
  'version': (number);
  /**
   * Where the walk starts.
   */
  'start': (_latentgan_v1_InterpolationEndpoint__Output | null);
  /**
   * Where the walk ends.
   */
  'end': (_latentgan_v1_InterpolationEndpoint__Output | null);
  /**
   * Number of frames, both ends included (2 .. the server's limit).
   */
  'steps': (number);
  /**
   * The path through latent space; unset: slerp.
   */
  'method': (_latentgan_v1_InterpolationMethod__Output);
  /**
   * Truncation psi in [0, 1] applied along the path; unset: 1 (no truncation).
   */
  'truncation'?: (number);
  /**
   * How to send the frames back; unset: raw.
   */
  'encoding': (_latentgan_v1_ImageEncoding__Output);
  '_truncation'?: "truncation";
}
