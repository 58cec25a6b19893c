# IngestLambda — build, test, publish and demo. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

CONFIGURATION ?= Release
RID ?= linux-x64
FUNCTION_PROJECT := src/IngestLambda/IngestLambda.csproj
PUBLISH_DIR := artifacts/function

.PHONY: help build test test-vector-paths test-unit lint publish build-IngestFunction demo clean answers

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-22s %s\n", $$1, $$2}'

build: ## Build the solution (warnings are errors)
	dotnet build IngestLambda.sln -c $(CONFIGURATION)

test: build publish ## The whole test suite (the published-binary tests need a fresh bootstrap), then the template lint
	dotnet test IngestLambda.sln -c $(CONFIGURATION) --no-build --logger "console;verbosity=normal" --results-directory artifacts/test-results --logger trx
	$(MAKE) --no-print-directory test-vector-paths
	@if [ -f template.yaml ]; then echo "cfn-lint template.yaml"; cfn-lint template.yaml; fi

# The run above takes the widest vectors the CPU has (512-bit on AVX-512); these take the 256- and 128-bit paths other
# hosts run. .NET 10 reads DOTNET_EnableAVX512 (it ignores the older DOTNET_EnableAVX512F, set too for older runtimes);
# ByteMasksTests fails if a switch set here does not take effect.
test-vector-paths: ## The Core tests again without AVX-512 and without AVX2 (needs a Release build)
	DOTNET_EnableAVX512F=0 DOTNET_EnableAVX512=0 dotnet test tests/IngestLambda.Core.Tests -c $(CONFIGURATION) --no-build
	DOTNET_EnableAVX2=0 dotnet test tests/IngestLambda.Core.Tests -c $(CONFIGURATION) --no-build

publish: ## Native AOT linux-x64 executable: artifacts/function/bootstrap
	rm -rf $(PUBLISH_DIR)
	dotnet publish $(FUNCTION_PROJECT) -c $(CONFIGURATION) -r $(RID) -o $(PUBLISH_DIR)
	@# Only the executable and the dataset contracts it reads at start-up ship: the stripped symbols (.dbg) and
	@# referenced projects' .pdb files stay out.
	rm -f $(PUBLISH_DIR)/*.dbg $(PUBLISH_DIR)/*.pdb
	@if ls $(PUBLISH_DIR) | grep -v -e '^bootstrap$$' -e '^contracts$$'; then echo "unexpected files in $(PUBLISH_DIR) (above)"; exit 1; fi
	@if ls $(PUBLISH_DIR)/contracts | grep -v '\.json$$'; then echo "unexpected files in $(PUBLISH_DIR)/contracts (above)"; exit 1; fi
	@if ! ls $(PUBLISH_DIR)/contracts/*.json > /dev/null 2>&1; then echo "no dataset contracts in $(PUBLISH_DIR)/contracts"; exit 1; fi
	@ls -l $(PUBLISH_DIR)/bootstrap $(PUBLISH_DIR)/contracts

build-IngestFunction: ## For `sam build` (BuildMethod: makefile): the Native AOT bootstrap into $(ARTIFACTS_DIR)
	@if [ -z "$(ARTIFACTS_DIR)" ]; then echo "ARTIFACTS_DIR is not set (sam build sets it; or pass ARTIFACTS_DIR=dir)" >&2; exit 2; fi
	dotnet publish $(FUNCTION_PROJECT) -c $(CONFIGURATION) -r $(RID) -o "$(ARTIFACTS_DIR)"
	rm -f "$(ARTIFACTS_DIR)"/*.dbg "$(ARTIFACTS_DIR)"/*.pdb
	@if ! ls "$(ARTIFACTS_DIR)"/contracts/*.json > /dev/null 2>&1; then echo "no dataset contracts in $(ARTIFACTS_DIR)/contracts" >&2; exit 1; fi
	@ls -l "$(ARTIFACTS_DIR)/bootstrap" "$(ARTIFACTS_DIR)/contracts"

lint: ## Lint the SAM template (cfn-lint validates the SAM transform offline)
	cfn-lint template.yaml

demo: ## The real chain locally: aws s3 cp -> moto_server S3 -> SQS -> local Lambda host -> bootstrap; prints the lake
	bash scripts/demo.sh

answers: ## Answer the dataset questions from the lake: make answers LAKE=FOLDER|s3://BUCKET[/PREFIX] [ARGS='--all --json --report r.html']
	@if [ -z "$(LAKE)" ]; then echo "usage: make answers LAKE=FOLDER|s3://BUCKET[/PREFIX] [ARGS='--date yyyy-MM-dd | --all  --json  --report FILE.html']" >&2; exit 2; fi
	dotnet run --project src/IngestLambda.Analytics -c $(CONFIGURATION) -- answers --lake "$(LAKE)" $(ARGS)

clean: ## Remove build output
	rm -rf artifacts src/*/bin src/*/obj tests/*/bin tests/*/obj bench/*/bin bench/*/obj tools/*/bin tools/*/obj
