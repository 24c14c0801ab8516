"""Request schemas of the core: one per request kind."""
