# Chores around the tests. The README's two commands need none of this.
PYTHON ?= .venv/bin/python
LOCK_TOOL := .lock-tool/bin/uv

.PHONY: test lock fuzz

# The test command of README.md: the locked versions, then xacct itself on top of them.
test:
	python3 -m venv .venv && .venv/bin/pip install -q --require-hashes -r requirements/test.txt \
	  && .venv/bin/pip install -q --no-deps --no-build-isolation . && $(PYTHON) -m pytest

# Refresh the lock: the newest versions that pyproject.toml's ranges allow, with every file's hash.
# Note the refresh in CHANGELOG.md.
lock: $(LOCK_TOOL)
	$(LOCK_TOOL) pip compile pyproject.toml requirements/build.in --extra test --generate-hashes \
	  --python-version 3.11 --python-platform linux --upgrade -o requirements/test.txt

$(LOCK_TOOL):
	python3 -m venv .lock-tool && .lock-tool/bin/pip install -q uv

# A long fuzzing campaign: thousands of structure-aware mutants per input kind, with figures.
FUZZ_EXAMPLES ?= 5000
fuzz:
	$(PYTHON) -m tests.fuzz.campaign --examples $(FUZZ_EXAMPLES)
