#!/usr/bin/env bash
# The hardware table of docs/results.md: trains the jets-shaped HGQ MLP (16-64-32-32-5, recipe hgq-jets)
# at several beta on a generated CSV shaped like hls4ml_lhc_jets_hlf (16 features, 5 classes; the real
# OpenML file is not available offline), then for each run (and runs/default, the default recipe, when it
# exists): export-verilog, Yosys synth_xilinx -flatten -nodsp and generic synth, and one table row with
# exact EBOPs, LUTs, LUTs/EBOPs and logic depth. Long (Yosys dominates): run by hand, not in CI.
# Rerunning skips runs that already finished and Verilog that is already exported.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -ntp -q package -DskipTests
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
for B in 1e-6 1e-5 1e-4 1e-3; do
  [ -f runs/hw/jets-beta-$B/metrics.json ] || $Q train hgq-jets --data runs/hw/jets.csv --epochs 5 --beta $B --out runs/hw/jets-beta-$B
done
RUNS=(runs/hw/jets-beta-*)
[ -f runs/default/metrics.json ] && RUNS+=(runs/default)
java -cp training-examples/target/qat.jar org.qat4j.examples.recipe.HardwareTable "${RUNS[@]}"
