#!/usr/bin/env bash
# Reruns the SPARQ table of docs/results.md on the Fashion-MNIST CNN (hgq-fashion-cnn's float twin): plain 8-bit
# and plain 4-bit activations (min-max and MSE clips), and SPARQ (arXiv 2105.11010) at 8-bit activations with
# 5, 3 and 2 window placements, rounded and truncated, with vSPARQ pairs, and bSPARQ alone. Weights 8 bits
# everywhere. Run from the repository root after
#   mvn -B -ntp -q package -DskipTests
# Usage: docs/scripts/sparq-results.sh [RUNS_DIR (default runs/sparq)]
set -euo pipefail
runs=${1:-runs/sparq}
jar=${QAT_JAR:-training-examples/target/qat.jar}
qat=(java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -jar "$jar")
mkdir -p "$runs"

fresh() { [ ! -e "$1/metrics.json" ]; }

fresh "$runs/float" && "${qat[@]}" train hgq-fashion-cnn --variant float --out "$runs/float"
fresh "$runs/a8" && "${qat[@]}" ptq minmax-channel --float-run "$runs/float" --weight-bits 8 --act-bits 8 --out "$runs/a8"
fresh "$runs/a4-minmax" && "${qat[@]}" ptq minmax-channel --float-run "$runs/float" --weight-bits 8 --act-bits 4 --out "$runs/a4-minmax"
fresh "$runs/a4-mse" && "${qat[@]}" ptq mse --float-run "$runs/float" --weight-bits 8 --act-bits 4 --out "$runs/a4-mse"
# the paper's variants first: rounded windows with vSPARQ at 5, 3, 2 placements; then truncation and bSPARQ alone
for spec in "5 round pairs" "3 round pairs" "2 round pairs" "3 no-round pairs" "3 round no-pairs" "5 no-round pairs" \
    "2 no-round pairs" "5 round no-pairs" "2 round no-pairs"; do
  set -- $spec
  out="$runs/sparq-$1-$2-$3"
  fresh "$out" && "${qat[@]}" ptq sparq --float-run "$runs/float" --weight-bits 8 --act-bits 8 --windows "$1" "--$2" "--$3" --out "$out"
done
java -cp "$jar" org.qat4j.examples.recipe.SparqResultsTable "$runs/a8" "$runs/a4-minmax" "$runs/a4-mse" "$runs"/sparq-*
