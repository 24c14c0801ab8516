"""Prefect flows (train, evaluate, sweep), their deployments, and the job view the api uses.

May import the core, Prefect and Redis (for progress events); never grpc or ``services``.
"""
