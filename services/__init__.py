"""The serving side of latentgan: the gRPC api, the generation queue and its workers.

May import the core (``latentgan``), grpc and redis; the core never imports this package.
"""
