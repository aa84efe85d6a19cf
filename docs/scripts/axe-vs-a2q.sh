#!/usr/bin/env bash
# Reruns "AXE vs A2Q+" of docs/results.md on a2q-fashion-cnn: the float twin, AXE at P = 16, 14, 12, 10
# (W4A4, first and last layers 8-bit and unconstrained, as the A2Q+ recipe), a min-max PTQ run of the same
# widths, and A2Q+ fine-tunes at each P started (--init-from) from AXE and from min-max (EP-init projects a row outside the L1 ball).
# Run from the repository root after
#   mvn -B -ntp -q package -DskipTests
# Usage: docs/scripts/axe-vs-a2q.sh [RUNS_DIR (default runs/axe)] [FLOAT_EPOCHS (default 2)]
#        [FINE_TUNE_SAMPLES (default 10000)]
set -euo pipefail
runs=${1:-runs/axe}
epochs=${2:-2}
samples=${3:-10000}
jar=${QAT_JAR:-training-examples/target/qat.jar}
qat=(java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -jar "$jar")
mkdir -p "$runs"

fresh() { [ ! -e "$1/metrics.json" ]; }
ptq=(--float-run "$runs/float" --weight-bits 4 --act-bits 4 --first-last-bits 8)
tune=(--epochs 1 --train-limit "$samples" --seed 1)

fresh "$runs/float" && "${qat[@]}" train a2q-fashion-cnn --variant float --epochs "$epochs" --seed 1 --out "$runs/float"
fresh "$runs/minmax" && "${qat[@]}" ptq minmax-channel "${ptq[@]}" --out "$runs/minmax"
for p in 16 14 12 10; do
  fresh "$runs/axe-p$p" && "${qat[@]}" ptq axe "${ptq[@]}" --acc-bits "$p" --out "$runs/axe-p$p"
done
for p in 16 14 12 10; do
  fresh "$runs/a2q+-from-axe-p$p" && "${qat[@]}" train a2q-fashion-cnn --variant a2q+ --acc-bits "$p" \
      --init-from "$runs/axe-p$p" "${tune[@]}" --out "$runs/a2q+-from-axe-p$p"
  fresh "$runs/a2q+-from-minmax-p$p" && "${qat[@]}" train a2q-fashion-cnn --variant a2q+ --acc-bits "$p" \
      --init-from "$runs/minmax" "${tune[@]}" --out "$runs/a2q+-from-minmax-p$p"
done
