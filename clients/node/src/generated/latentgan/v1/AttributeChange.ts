// Original file: ../../protos/latentgan/v1/latentgan.proto


/**
 * How one measured attribute of the images changes along a direction.
 */
export interface AttributeChange {
  /**
   * The attribute: thickness, slant, width, height, area, or class:K (the evaluator's logit).
   */
  'attribute'?: (string);
  /**
   * Least-squares change of the attribute per standard deviation of the prior along the
   * direction, in the attribute's units (px, degrees, px², logits).
   */
  'slope'?: (number | string);
  /**
   * R² of that straight-line fit.
   */
  'r2'?: (number | string);
  /**
   * The slope in standard deviations of the attribute over unedited samples.
   */
  'standardized'?: (number | string);
}

/**
 * How one measured attribute of the images changes along a direction.
 */
export interface AttributeChange__Output {
  /**
   * The attribute: thickness, slant, width, height, area, or class:K (the evaluator's logit).
   */
  'attribute': (string);
  /**
   * Least-squares change of the attribute per standard deviation of the prior along the
   * direction, in the attribute's units (px, degrees, px², logits).
   */
  'slope': (number);
  /**
   * R² of that straight-line fit.
   */
  'r2': (number);
  /**
   * The slope in standard deviations of the attribute over unedited samples.
   */
  'standardized': (number);
}
