"""Developer tools: protobuf code generation and the deploy/ checker (run as scripts)."""
