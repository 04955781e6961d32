# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8080
STAMP := $(VENV)/.installed

.PHONY: demo test messages bench lint revision clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

messages: $(STAMP)
	@for po in messages/*/LC_MESSAGES/*.po; do \
	  out=$$($(BIN)/pybabel compile --use-fuzzy -i $$po -o $${po%.po}.mo 2>&1) \
	    || { echo "$$out"; exit 1; }; \
	done
	@echo "Compiled the message catalogs."

demo: $(STAMP) messages
	$(BIN)/jobbtorg demo --port $(PORT)

# On every core (pytest-xdist).
test: $(STAMP) messages
	$(BIN)/pytest -q -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check bot handlers storage messages tests bench
	$(BIN)/mypy bot handlers storage messages
	$(BIN)/lint-imports --no-cache

bench: $(STAMP) messages
	$(BIN)/python -m bench.run

# A new migration on the head from the models: make revision m="add visit notes"
revision: $(STAMP)
	@test -n "$(m)" || { echo 'say what it does: make revision m="add visit notes"'; exit 2; }
	$(BIN)/python -m storage.new_revision "$(m)"

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
