# The two Quickstart commands (README) and what they are made of.
# `make demo`: install, then train -> sample -> interpolate on the built-in defaults.
# `make test`: install, then lint, type-check and run the whole test suite (Python and TypeScript).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out
# The CPU wheel of torch 2.13.0; on a CUDA machine pip picks PyPI's CUDA build of the same version.
TORCH ?= torch==2.13.0

.PHONY: install demo test test-node lint protos clean

$(BIN)/latentgan: pyproject.toml clients/python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet "$(TORCH)"
	# The SDK (clients/python) is its own distribution; the platform depends on it.
	$(BIN)/pip install --quiet -e clients/python -e '.[dev]'
	touch $@

install: $(BIN)/latentgan

demo: install
	$(BIN)/latentgan train --dataset mnist5k --conditional --name demo
	# A conditional model without --labels cycles 0..9: each grid row is one digit.
	$(BIN)/latentgan sample --model demo --n 100 --seed 7 --out $(OUT)/demo-samples.png
	$(BIN)/latentgan interpolate --model demo --seed-a 1 --seed-b 2 --label-a 3 --label-b 8 \
		--steps 16 --method slerp --out $(OUT)/demo-walk.gif
	@echo "demo images: $(OUT)/demo-samples.png $(OUT)/demo-walk.gif"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/buf lint
	$(BIN)/python tools/generate_protos.py --check

# Regenerate the Python code of protos/ (commit the result; `make lint` checks it is current).
protos: install
	$(BIN)/python tools/generate_protos.py
	cd clients/node && npm run generate

test: lint
	$(BIN)/python -m pytest
	$(MAKE) test-node

# The TypeScript client: generated types current, type-check, unit tests and a live-server test.
test-node: install
	cd clients/node && npm ci --no-audit --no-fund --loglevel=error \
		&& npm run check-generated && npm test

clean:
	rm -rf $(VENV) $(OUT)
