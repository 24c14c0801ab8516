// Original file: ../../protos/latentgan/v1/latentgan.proto

/**
 * How a set of directions is found.
 */
export const DirectionMethod = {
  /**
   * Not set: the same as DIRECTION_METHOD_SEFA.
   */
  DIRECTION_METHOD_UNSPECIFIED: 'DIRECTION_METHOD_UNSPECIFIED',
  /**
   * Closed-form factorization of the generator's first layer (SeFa).
   */
  DIRECTION_METHOD_SEFA: 'DIRECTION_METHOD_SEFA',
  /**
   * PCA of the first block's activations, mapped back to z (GANSpace).
   */
  DIRECTION_METHOD_PCA: 'DIRECTION_METHOD_PCA',
  /**
   * A linear boundary in z for a measured attribute of the images (InterFaceGAN).
   */
  DIRECTION_METHOD_ATTRIBUTE: 'DIRECTION_METHOD_ATTRIBUTE',
  /**
   * Seeded random unit directions: the baseline the others are compared with.
   */
  DIRECTION_METHOD_RANDOM: 'DIRECTION_METHOD_RANDOM',
} as const;

/**
 * How a set of directions is found.
 */
export type DirectionMethod =
  /**
   * Not set: the same as DIRECTION_METHOD_SEFA.
   */
  | 'DIRECTION_METHOD_UNSPECIFIED'
  | 0
  /**
   * Closed-form factorization of the generator's first layer (SeFa).
   */
  | 'DIRECTION_METHOD_SEFA'
  | 1
  /**
   * PCA of the first block's activations, mapped back to z (GANSpace).
   */
  | 'DIRECTION_METHOD_PCA'
  | 2
  /**
   * A linear boundary in z for a measured attribute of the images (InterFaceGAN).
   */
  | 'DIRECTION_METHOD_ATTRIBUTE'
  | 3
  /**
   * Seeded random unit directions: the baseline the others are compared with.
   */
  | 'DIRECTION_METHOD_RANDOM'
  | 4

/**
 * How a set of directions is found.
 */
export type DirectionMethod__Output = typeof DirectionMethod[keyof typeof DirectionMethod]
