# IngestLambda — build, test, publish and demo. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

CONFIGURATION ?= Release
FUNCTION_PROJECT := src/IngestLambda/IngestLambda.csproj
# Python tools that scripts/check-tools.sh installed into .venv (when they were missing) come first.
export PATH := $(CURDIR)/.venv/bin:$(PATH)
FUZZ_SECONDS ?= 600

# ARCH picks the CPU of the Native AOT binary: x64 (what `make publish` builds without it) or arm64 (Graviton,
# cross-compiled; scripts/install-arm64-toolchain.sh installs the toolchain). SAM's names (x86_64, arm64) work too.
ARCH ?=
rid_of = $(if $(filter arm64 aarch64,$(1)),linux-arm64,$(if $(filter x64 x86_64 amd64,$(1)),linux-x64,$(error ARCH=$(1): use arm64 or x86_64)))
PUBLISH_RID = $(call rid_of,$(or $(ARCH),x64))
PUBLISH_DIR = artifacts/function$(if $(filter linux-arm64,$(PUBLISH_RID)),-arm64)
# The template's Architecture parameter defaults to arm64, so does `sam build` (docs/deploy.md, "arm64 (Graviton)").
SAM_BUILD_RID = $(call rid_of,$(or $(ARCH),arm64))

# $(call native-publish,RID,DIR): the Native AOT bootstrap for RID into DIR, without symbols (.dbg) or .pdb files.
# A cross-compile first checks the toolchain and stops with one line naming the missing packages.
define native-publish
	$(if $(filter linux-arm64,$(1)),@bash scripts/install-arm64-toolchain.sh --check)
	dotnet publish $(FUNCTION_PROJECT) -c $(CONFIGURATION) -r $(1) -o "$(2)"
	rm -f "$(2)"/*.dbg "$(2)"/*.pdb
	@if ! ls "$(2)"/contracts/*.json > /dev/null 2>&1; then echo "no dataset contracts in $(2)/contracts" >&2; exit 1; fi
endef

.PHONY: help tools build test test-large test-vector-paths test-unit lint publish build-IngestFunction demo clean answers generate fuzz

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-22s %s\n", $$1, $$2}'

tools: ## Check the tools make demo and make test need; one line per missing tool with its install command
	@bash scripts/check-tools.sh test

build: ## Build the solution (warnings are errors)
	dotnet build IngestLambda.sln -c $(CONFIGURATION)

test: tools build publish ## The whole test suite (the published-binary tests need fresh x64 and arm64 bootstraps), then the template lint
	$(MAKE) --no-print-directory publish ARCH=arm64
	dotnet test IngestLambda.sln -c $(CONFIGURATION) --no-build --logger "console;verbosity=normal" --results-directory artifacts/test-results --logger trx
	$(MAKE) --no-print-directory test-vector-paths
	@if [ -f template.yaml ]; then echo "cfn-lint template.yaml"; cfn-lint template.yaml; fi

# Tests that need moto_server, the aws CLI or the published bootstrap carry [Trait("Category", "Integration")];
# the rest run here. INGESTLAMBDA_UNIT_ONLY makes an unmarked one fail loudly (tests/IngestLambda.Tests/Infrastructure/UnitOnly.cs).
test-unit: ## The unit tests only: no moto_server, aws CLI or Native AOT publish needed
	@bash scripts/check-tools.sh unit
	INGESTLAMBDA_UNIT_ONLY=1 dotnet test IngestLambda.sln -c $(CONFIGURATION) --filter "Category!=Integration"

# The run above takes the widest vectors the CPU has (512-bit on AVX-512); these take the 256- and 128-bit paths other
# hosts run. .NET 10 reads DOTNET_EnableAVX512 (it ignores the older DOTNET_EnableAVX512F, set too for older runtimes);
# ByteMasksTests fails if a switch set here does not take effect.
test-vector-paths: ## The Core tests again without AVX-512 and without AVX2 (needs a Release build)
	DOTNET_EnableAVX512F=0 DOTNET_EnableAVX512=0 dotnet test tests/IngestLambda.Core.Tests -c $(CONFIGURATION) --no-build --filter "Category!=Large"
	DOTNET_EnableAVX2=0 dotnet test tests/IngestLambda.Core.Tests -c $(CONFIGURATION) --no-build --filter "Category!=Large"

test-large: build publish ## The Large tests with a 2^31+1-byte object through moto_server (about 15 minutes; make test uses 320 MiB)
	LARGE_TEST_BYTES=2147483649 dotnet test tests/IngestLambda.Tests -c $(CONFIGURATION) --no-build --filter "Category=Large" --logger "console;verbosity=normal"

publish: ## Native AOT executable: artifacts/function/bootstrap (linux-x64); ARCH=arm64: artifacts/function-arm64/bootstrap
	rm -rf $(PUBLISH_DIR)
	$(call native-publish,$(PUBLISH_RID),$(PUBLISH_DIR))
	@# Only the executable and the dataset contracts it reads at start-up ship: the stripped symbols (.dbg) and
	@# referenced projects' .pdb files stay out.
	@if ls $(PUBLISH_DIR) | grep -v -e '^bootstrap$$' -e '^contracts$$'; then echo "unexpected files in $(PUBLISH_DIR) (above)"; exit 1; fi
	@if ls $(PUBLISH_DIR)/contracts | grep -v '\.json$$'; then echo "unexpected files in $(PUBLISH_DIR)/contracts (above)"; exit 1; fi
	@ls -l $(PUBLISH_DIR)/bootstrap $(PUBLISH_DIR)/contracts

# SAM tells a makefile build no architecture (only ARTIFACTS_DIR, in an environment copied from its own): one other than
# the template's default arm64 comes as ARCH, e.g. `ARCH=x86_64 sam build --parameter-overrides Architecture=x86_64`.
build-IngestFunction: ## For `sam build` (BuildMethod: makefile): the Native AOT bootstrap (arm64 unless ARCH=x86_64) into $(ARTIFACTS_DIR)
	@if [ -z "$(ARTIFACTS_DIR)" ]; then echo "ARTIFACTS_DIR is not set (sam build sets it; or pass ARTIFACTS_DIR=dir)" >&2; exit 2; fi
	$(call native-publish,$(SAM_BUILD_RID),$(ARTIFACTS_DIR))
	@ls -l "$(ARTIFACTS_DIR)/bootstrap" "$(ARTIFACTS_DIR)/contracts"

# CloudFormation cannot include files, so template.yaml holds copies of the contracts between GENERATED markers.
generate: ## Rewrite template.yaml's generated sections (Glue tables, named queries) from the dataset contracts (contracts/) and src/IngestLambda.Analytics/Sql/
	dotnet run --project tools/IngestLambda.Generate -c $(CONFIGURATION) -- template.yaml

lint: ## Lint the SAM template (cfn-lint validates the SAM transform offline)
	cfn-lint template.yaml

demo: ## The real chain locally: aws s3 cp -> moto_server S3 -> SQS -> local Lambda host -> bootstrap; prints the lake
	bash scripts/demo.sh

answers: ## Answer the dataset questions from the lake: make answers LAKE=FOLDER|s3://BUCKET[/PREFIX] [ARGS='--all --json --report r.html']
	@if [ -z "$(LAKE)" ]; then echo "usage: make answers LAKE=FOLDER|s3://BUCKET[/PREFIX] [ARGS='--date yyyy-MM-dd | --all  --json  --report FILE.html']" >&2; exit 2; fi
	dotnet run --project src/IngestLambda.Analytics -c $(CONFIGURATION) -- answers --lake "$(LAKE)" $(ARGS)

fuzz: ## Coverage-guided fuzzing of the validator (afl++ + SharpFuzz) for FUZZ_SECONDS (default 600); not in CI
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash bench/IngestLambda.Fuzz/fuzz.sh

clean: ## Remove build output
	rm -rf artifacts src/*/bin src/*/obj tests/*/bin tests/*/obj bench/*/bin bench/*/obj tools/*/bin tools/*/obj
