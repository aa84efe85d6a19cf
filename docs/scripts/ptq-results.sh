#!/usr/bin/env bash
# Reruns a PTQ table of docs/results.md: the float twin of $RECIPE (default hgq-fashion-mlp; the CNN table uses
# RECIPE=hgq-fashion-cnn), every PTQ method at
# W8A8, W4A8, W4A4 and W2A4, AXE (GPFQ and GPTQ forms) at P = 16, 14, 12, 10 (W4A4), and the uniform fixed-point QAT baseline at
# the same four widths with the float run's epochs. Run from the repository root after
#   mvn -B -ntp -q package -DskipTests
# Usage: docs/scripts/ptq-results.sh [RUNS_DIR (default runs/ptq)] [EPOCHS (default 5)] [ITERATIONS (default 500)]
# ITERATIONS: AdaRound/BRECQ Adam iterations per block (the papers use 20,000; 500 keeps the sweep short).
set -euo pipefail
recipe=${RECIPE:-hgq-fashion-mlp}
runs=${1:-runs/ptq}
epochs=${2:-5}
iterations=${3:-500}
jar=${QAT_JAR:-training-examples/target/qat.jar}
qat=(java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -jar "$jar")
mkdir -p "$runs"

fresh() { [ ! -e "$1/metrics.json" ]; }

fresh "$runs/float" && "${qat[@]}" train "$recipe" --variant float --epochs "$epochs" --out "$runs/float"
ptq_width() {
  for m in minmax-channel mse lapq gpfq gptq adaround brecq minmax-tensor percentile; do
    out="$runs/$m-w$1a$2"
    if fresh "$out"; then
      "${qat[@]}" ptq "$m" --float-run "$runs/float" --weight-bits "$1" --act-bits "$2" \
          --iterations "$iterations" --out "$out"
    fi
  done
}
# qat_uniform W [A]: weights W bits, activations A bits (default W)
qat_uniform() {
  if [ $# -eq 1 ]; then out="$runs/qat-uniform-$1"; else out="$runs/qat-uniform-w$1a$2"; fi
  if fresh "$out"; then
    "${qat[@]}" train "$recipe" --uniform-bits "$1" --uniform-act-bits "${2:-$1}" --epochs "$epochs" --out "$out"
  fi
}
# the low widths first: they are where the methods differ
ptq_width 4 4
ptq_width 2 4
qat_uniform 4
qat_uniform 2 4
for p in 16 14 12 10; do
  for m in axe axe-gptq; do
    out="$runs/$m-w4a4-p$p"
    fresh "$out" && "${qat[@]}" ptq "$m" --float-run "$runs/float" --weight-bits 4 --act-bits 4 --acc-bits "$p" \
        --out "$out"
  done
done
ptq_width 8 8
qat_uniform 8
ptq_width 4 8
qat_uniform 4 8
java -cp "$jar" org.qat4j.examples.recipe.PtqResultsTable "$runs/float" \
    "$runs"/*-w*a* "$runs"/qat-uniform-*
