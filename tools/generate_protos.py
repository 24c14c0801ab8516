"""Generate the Python code for protos/ into the SDK, or check that the committed code is current.

    python tools/generate_protos.py          # write clients/python/latentgan_client/v1/
    python tools/generate_protos.py --check  # exit 1 if regenerating would change anything

The proto package ``latentgan.v1`` becomes the Python package ``latentgan_client.v1`` (the name
``latentgan`` belongs to the core engine), so the generated imports are rewritten accordingly.
Message code, gRPC stubs and mypy-protobuf type stubs come from grpcio-tools and mypy-protobuf at
the versions pinned in pyproject.toml.

The gRPC service config beside the proto (retries and deadlines, which the TypeScript client reads
from protos/ itself) is copied into the package as it is, so the SDK ships it as package data and
--check fails when the copy is stale.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "protos"
PROTO_PACKAGE = Path("latentgan/v1")
TARGET = ROOT / "clients/python/latentgan_client/v1"
IMPORT = re.compile(r"^from latentgan\.v1 import", re.MULTILINE)
SERVICE_CONFIG = "service_config.json"
INIT = '"""Generated code for the protobuf package latentgan.v1 (tools/generate_protos.py)."""\n'


def generate(out: Path) -> None:
    """Run protoc on every .proto of the package and write the Python package into ``out``."""
    protos = sorted(
        str(p.relative_to(PROTO_ROOT)) for p in (PROTO_ROOT / PROTO_PACKAGE).glob("*.proto")
    )
    with tempfile.TemporaryDirectory() as raw:
        bin_dir = Path(sys.executable).parent  # protoc-gen-mypy lives beside this interpreter
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
        flags = [f"--{kind}_out={raw}" for kind in ("python", "grpc_python", "mypy", "mypy_grpc")]
        subprocess.run(
            [sys.executable, "-m", "grpc_tools.protoc", f"-I{PROTO_ROOT}", *flags, *protos],
            check=True,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        out.mkdir(parents=True, exist_ok=True)
        (out / "__init__.py").write_text(INIT)
        for path in sorted((Path(raw) / PROTO_PACKAGE).iterdir()):
            text = IMPORT.sub("from latentgan_client.v1 import", path.read_text())
            (out / path.name).write_text(text)
    copy_service_config(out)


def copy_service_config(out: Path) -> None:
    """Copy the package's service config into ``out`` byte for byte, once it parses as JSON with a
    methodConfig list (a broken file would only show when a client opens a channel)."""
    source = PROTO_ROOT / PROTO_PACKAGE / SERVICE_CONFIG
    try:
        config = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise SystemExit(f"{source.relative_to(ROOT)}: not JSON: {error}") from None
    if not isinstance(config, dict) or not isinstance(config.get("methodConfig"), list):
        raise SystemExit(f"{source.relative_to(ROOT)}: expected an object with a methodConfig list")
    shutil.copyfile(source, out / SERVICE_CONFIG)


def main() -> int:
    """Generate, or with --check compare a fresh generation with the committed files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed code is stale")
    args = parser.parse_args()
    if not args.check:
        shutil.rmtree(TARGET, ignore_errors=True)
        generate(TARGET)
        print(f"wrote {TARGET.relative_to(ROOT)}")
        return 0
    with tempfile.TemporaryDirectory() as fresh:
        generate(Path(fresh))
        names = sorted(p.name for p in Path(fresh).iterdir())
        committed = (
            sorted(p.name for p in TARGET.iterdir() if p.is_file()) if TARGET.is_dir() else []
        )
        _, mismatch, errors = filecmp.cmpfiles(fresh, TARGET, names, shallow=False)
        stale = sorted(set(mismatch + errors) | (set(names) ^ set(committed)))
    if stale:
        print(
            f"generated protobuf code in {TARGET.relative_to(ROOT)} is stale ({', '.join(stale)}):"
            " run `python tools/generate_protos.py` and commit the result",
            file=sys.stderr,
        )
        return 1
    print("generated protobuf code is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
