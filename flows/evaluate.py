"""The ``evaluate`` flow: score a stored model version and show the table in the Prefect UI."""

from __future__ import annotations

from prefect import flow
from prefect.artifacts import create_table_artifact

from flows.settings import flow_store, get_flow_settings
from latentgan.evaluate import DEFAULT_SAMPLES, evaluate_model


@flow(name="evaluate", log_prints=True, persist_result=False)
def evaluate(model: str, n: int = DEFAULT_SAMPLES) -> dict[str, float]:
    """Metrics of ``model`` (NAME or NAME@VERSION) from ``n`` generated images."""
    manifest, scores = evaluate_model(flow_store(get_flow_settings()), model, n, progress=False)
    metrics = {k: float(v) for k, v in scores.as_dict().items() if v is not None}
    create_table_artifact(
        [{"metric": k, "value": round(v, 4)} for k, v in metrics.items()],
        description=f"metrics of {manifest.ref} ({n} samples)",
    )
    print(f"{manifest.ref}: " + ", ".join(f"{k}={v:.4g}" for k, v in metrics.items()))
    return metrics
