# Every target that needs PostgreSQL gets one with no manual step: DATABASE_URL when set,
# otherwise a throwaway cluster from the system's server binaries (scripts/pg.sh).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The persistent local database of `make db-up` / `make demo`.
LOCAL_PG_DIR ?= .pg
# The throwaway cluster of `make test` (stopped when the run ends, pass or fail).
TEST_PG_DIR ?= target/pg-test
NEXTEST := $(shell cargo nextest --version >/dev/null 2>&1 && echo yes)
ifeq ($(NEXTEST),yes)
TEST_CMD := cargo nextest run --workspace --no-fail-fast
else
TEST_CMD := cargo test --workspace --no-fail-fast
endif
SEEDER := cargo run -q -p seeder-cli --
CODEGEN := cargo run -q -p codegen --
SNAPSHOT := schema_snapshots/vital.json
# The demo tenant of `make demo`.
DEMO_TENANT ?= 11111111-2222-4333-8444-555555555555

.PHONY: help demo db-up db-down db-url migrate regen generate test lint fmt bench reliability templates

help:
	@echo "make demo     local database, migrations, demo tenant, deploy the built-in data (data/, validated at build) for all functions, verify"
	@echo "make regen    after a migration: snapshot the schema, regenerate generated/, rebuild"
	@echo "make generate regenerate generated/ (and the torture crate) from the checked-in snapshots, no database"
	@echo "make test     the whole test suite against a throwaway PostgreSQL"
	@echo "make db-up    start the persistent local database and print its URL"
	@echo "make db-down  stop it"
	@echo "make lint     cargo fmt --check and clippy -D warnings"
	@echo "make templates regenerate data_capture_templates/ (templates + JSON Schemas per function)"

demo: db-up
	@url=$$(scripts/pg.sh url $(LOCAL_PG_DIR)) && \
	  $(SEEDER) create-tenant --database-url "$$url" --tenant-id $(DEMO_TENANT) --slug demo --name "Demo tenant" && \
	  $(SEEDER) deploy --database-url "$$url" --tenant-id $(DEMO_TENANT) --all && \
	  $(SEEDER) verify --database-url "$$url" --tenant-id $(DEMO_TENANT) --builtin --html target/demo-report.html

# After a migration: apply it locally, snapshot the schema, regenerate `generated`, rebuild the
# seeder (which fails to build where code relied on the old shape).
regen: db-up
	@url=$$(scripts/pg.sh url $(LOCAL_PG_DIR)) && \
	  $(CODEGEN) snapshot --database-url "$$url" --out $(SNAPSHOT) && \
	  $(CODEGEN) generate --snapshot $(SNAPSHOT) --out generated/src
	cargo build -p seeder-cli

# Offline: the checked-in snapshots -> generated code (after changing the emitter or runtime).
generate:
	$(CODEGEN) generate --snapshot $(SNAPSHOT) --out generated/src
	$(CODEGEN) generate --snapshot tests/torture/snapshot.json --out tests/torture/generated/src

db-up:
	@url=$$(scripts/pg.sh start $(LOCAL_PG_DIR)) && \
	  $(SEEDER) migrate --database-url "$$url" && \
	  echo "DATABASE_URL=$$url"

db-down:
	@scripts/pg.sh stop $(LOCAL_PG_DIR) && echo "stopped the database in $(LOCAL_PG_DIR)"

db-url:
	@scripts/pg.sh url $(LOCAL_PG_DIR)

test:
	scripts/pg.sh run $(TEST_PG_DIR) -- $(TEST_CMD)

# Data capture templates and JSON Schemas, generated from the schema metadata and data/org
# (checked in; seeder-cli/tests/templates.rs fails when they are stale).
templates:
	rm -rf data_capture_templates
	$(SEEDER) templates --all --org data/org --out data_capture_templates

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

fmt:
	cargo fmt --all

# Deploy vs the guide's DO blocks vs \copy, at 600 and 6,000 synthetic personas, plus codegen
# and build figures; writes bench/RESULTS.md. BENCH_QUICK=1 for a small smoke run.
bench:
	cargo build --release -p seeder-cli -p codegen
	scripts/pg.sh run target/pg-bench -- cargo bench -p seeder-cli --bench deploy

# The slow reliability tests (SIGKILL at 24 points, database restart mid-deploy) with the rest
# of the reliability suite.
reliability:
	scripts/pg.sh run $(TEST_PG_DIR) -- cargo nextest run -p seeder-cli --test reliability --run-ignored all --no-fail-fast
