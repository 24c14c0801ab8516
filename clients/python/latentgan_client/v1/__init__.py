"""Generated code for the protobuf package latentgan.v1 (tools/generate_protos.py)."""
