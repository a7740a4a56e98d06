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
SEEDER := cargo run -q -p seeder --

.PHONY: help demo db-up db-down db-url migrate test lint fmt

help:
	@echo "make demo     start the local database, apply the migrations (the main job)"
	@echo "make test     the whole test suite against a throwaway PostgreSQL"
	@echo "make db-up    start the persistent local database and print its URL"
	@echo "make db-down  stop it"
	@echo "make lint     cargo fmt --check and clippy -D warnings"

demo: db-up

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

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

fmt:
	cargo fmt --all
