"""latentgan: train GANs and explore their latent spaces."""
