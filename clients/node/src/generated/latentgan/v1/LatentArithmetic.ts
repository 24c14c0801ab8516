// Original file: ../../protos/latentgan/v1/latentgan.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Three seeded latents combined: z(a, 0) - z(b, 0) + z(c, 0).
 */
export interface LatentArithmetic {
  /**
   * The seed of the latent added first.
   */
  'seedA'?: (number | string | Long);
  /**
   * The seed of the latent subtracted.
   */
  'seedB'?: (number | string | Long);
  /**
   * The seed of the latent added last.
   */
  'seedC'?: (number | string | Long);
}

/**
 * Three seeded latents combined: z(a, 0) - z(b, 0) + z(c, 0).
 */
export interface LatentArithmetic__Output {
  /**
   * The seed of the latent added first.
   */
  'seedA': (string);
  /**
   * The seed of the latent subtracted.
   */
  'seedB': (string);
  /**
   * The seed of the latent added last.
   */
  'seedC': (string);
}
