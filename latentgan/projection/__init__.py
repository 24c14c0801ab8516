"""Real images into the latent space: projection by optimisation, and completion (inpainting)."""
