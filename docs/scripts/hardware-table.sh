#!/usr/bin/env bash
# The hardware table of docs/results.md: trains the jets-shaped HGQ MLP (16-64-32-32-5, recipe hgq-jets)
# at several beta on a generated CSV shaped like hls4ml_lhc_jets_hlf (16 features, 5 classes; the real
# OpenML file is not available offline), then for each run (and runs/default, the default recipe, when it
# exists): export-verilog, verilator --lint-only -Wall, Yosys synth_xilinx -flatten -nodsp and generic
# synth, and one table row with exact EBOPs, LUTs, LUTs/EBOPs, logic depth and the wall and CPU time of
# each synthesis. Long (Yosys dominates): run by hand, not in CI. Rerunning skips runs that already
# finished and Verilog that is already exported.
#   BETAS="1e-6 1e-5"      the betas to train (default below)
#   YOSYS_TIMEOUT=3600     seconds per synthesis; a run that exceeds it gets a row saying so
#   MVN_ARGS=...           extra Maven arguments (e.g. -Dmaven.repo.local=...)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -ntp -q ${MVN_ARGS:-} package -DskipTests -pl training-examples -am
Q="java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -jar training-examples/target/qat.jar"
mkdir -p runs/hw
if [ ! -f runs/hw/jets.csv ]; then
  # the generator of HgqJetsRecipeTest: class c shifts features c, c+5, c+10 by 2 standard deviations
  awk 'BEGIN { srand(3); split("g q t w z", cls, " ");
    for (f = 0; f < 16; f++) printf "f%d,", f; print "class";
    for (row = 0; row < 20000; row++) { c = row % 5;
      for (f = 0; f < 16; f++) { u1 = rand(); u2 = rand(); if (u1 < 1e-12) u1 = 1e-12;
        g = sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2); s = (f % 5 == c) ? 2.0 : 0.0;
        printf "%.5f,", 10 * (g + s) + f }
      print cls[c + 1] } }' > runs/hw/jets.csv
fi
# batch 64 (the recipe's 1024 gives 16 steps per epoch: in 5 epochs the bits hardly move and every beta
# ends at the same 273,555 EBOPs). Beta 1e-7..1e-4: from about 1e-5 up, the beta*EBOPs gradient dominates
# every bit's gradient and Adam lowers every bit by about the learning rate per step whatever beta is
# (docs/results.md; docs/scripts/BetaGradientProbe.java measures it)
for B in ${BETAS:-1e-7 1e-6 1e-5 1e-4}; do
  [ -f runs/hw/jets-b64-beta-$B/metrics.json ] || nice -n 15 $Q train hgq-jets --data runs/hw/jets.csv --epochs 5 --batch-size 64 \
      --beta $B --out runs/hw/jets-b64-beta-$B
done
RUNS=(runs/hw/jets-b64-beta-*)
[ -f runs/default/metrics.json ] && RUNS+=(runs/default)
nice -n 15 java -Dqat.yosys.timeout="${YOSYS_TIMEOUT:-3600}" -cp training-examples/target/qat.jar org.qat4j.examples.recipe.HardwareTable \
    "${RUNS[@]}" | tee runs/hw/table.md
