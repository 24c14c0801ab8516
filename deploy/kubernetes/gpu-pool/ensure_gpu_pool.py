"""Make the Prefect work pool ``gpu`` a Kubernetes pool with latentgan's base job template.

Runs in the latentgan-deploy Job (deploy-job.yaml) twice: before ``latentgan deploy``, so that
command finds ``gpu`` already of type kubernetes (a pool's type cannot change in place: a ``gpu``
pool of another type, from an earlier ``latentgan deploy``, is deleted and created again, and
``latentgan deploy`` then attaches the deployments to it); and after it, because it sets each
pool's base job template to the process worker's. Idempotent; only the template is updated, so the
concurrency that ``latentgan deploy --gpu-slots`` sets is kept.

    python ensure_gpu_pool.py base-job-template.json      (needs PREFECT_API_URL)
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate, WorkPoolUpdate
from prefect.exceptions import ObjectNotFound

POOL = "gpu"
POOL_TYPE = "kubernetes"


async def ensure_gpu_pool(template: dict[str, Any]) -> str:
    """Create, recreate or update the pool; say which."""
    create = WorkPoolCreate(name=POOL, type=POOL_TYPE, base_job_template=template)
    async with get_client() as client:
        try:
            pool = await client.read_work_pool(POOL)
        except ObjectNotFound:
            await client.create_work_pool(create)
            return f"created work pool {POOL!r} of type {POOL_TYPE!r}"
        if pool.type != POOL_TYPE:
            await client.delete_work_pool(POOL)
            await client.create_work_pool(create)
            return f"recreated work pool {POOL!r} as type {POOL_TYPE!r} (was {pool.type!r})"
        await client.update_work_pool(POOL, WorkPoolUpdate(base_job_template=template))
        return f"updated the base job template of work pool {POOL!r}"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    template = json.loads(Path(argv[0]).read_text())
    print(asyncio.run(ensure_gpu_pool(template)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
