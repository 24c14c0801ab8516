# The two Quickstart commands (README) and what they are made of.
# `make demo`: install, start the platform, train over the API -> sample -> interpolate.
# `make test`: install, then lint, type-check and run the whole test suite (Python and TypeScript).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out
# The CPU wheel of torch 2.13.0; on a CUDA machine pip picks PyPI's CUDA build of the same version.
TORCH ?= torch==2.13.0

.PHONY: runtime install demo up test test-node lint protos clean

$(BIN)/latentgan: pyproject.toml clients/python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# A current pip resolves this dependency set about 40 s faster than Python 3.11's own (measured).
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet "$(TORCH)"
	# The SDK (clients/python) is its own distribution; the platform depends on it.
	$(BIN)/pip install --quiet -e clients/python -e .
	touch $@

# Linters, type checkers, test and validation tools: only what `make test` needs.
$(VENV)/.dev: $(BIN)/latentgan
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

runtime: $(BIN)/latentgan
install: $(VENV)/.dev

# The platform on this machine (`latentgan up`), driven through its API by the Python SDK.
demo: runtime
	$(BIN)/python examples/quickstart.py --out $(OUT)

# The whole platform in the foreground until Ctrl-C.
up: runtime
	$(BIN)/latentgan up

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/buf lint
	$(BIN)/python tools/generate_protos.py --check
	$(BIN)/python tools/check_deploy.py

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
