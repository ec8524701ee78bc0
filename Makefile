# ceasefire-watch: the two commands are `make run` (the service) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The tests run their own Kafka and Elasticsearch on separate ports and data
# directories, so a running `make run` is never disturbed.
TEST_ENV := KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:29092 \
	ELASTICSEARCH_URL=http://127.0.0.1:29200 \
	CEASEFIRE_SERVICES__KAFKA_CONTROLLER_PORT=29093 \
	CEASEFIRE_SERVICES__ELASTICSEARCH_TRANSPORT_PORT=29300 \
	CEASEFIRE_SERVICES__DATA_DIR=$(CURDIR)/.test-services

.PHONY: install run test services-up services-down clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar off -e '.[dev]'
	touch $(STAMP)

run: install
	$(PY) -m pipeline run

test: install
	rm -rf .test-services
	$(TEST_ENV) $(PY) -m pipeline services up
	status=0; $(TEST_ENV) $(PY) -m pytest -v $(PYTEST_ARGS) || status=$$?; \
	$(TEST_ENV) $(PY) -m pipeline services down; exit $$status

services-up: install
	$(PY) -m pipeline services up

services-down: install
	$(PY) -m pipeline services down

clean:
	rm -rf $(VENV) .test-services .pytest_cache
