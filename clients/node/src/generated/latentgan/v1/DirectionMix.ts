// Original file: ../../protos/latentgan/v1/latentgan.proto


/**
 * Stored directions, weighted.
 */
export interface DirectionMix {
  /**
   * Direction id -> weight; the edit moves along the sum of weight x direction.
   */
  'weights'?: ({[key: string]: number | string});
}

/**
 * Stored directions, weighted.
 */
export interface DirectionMix__Output {
  /**
   * Direction id -> weight; the edit moves along the sum of weight x direction.
   */
  'weights': ({[key: string]: number});
}
