#!/usr/bin/env bash
# The Verilog simulation table of docs/results.md: trains the default recipe (runs/default) and the HGQ CNN
# recipe (runs/hgq-fashion-cnn) when their runs are missing, then for each run (and the jets runs of
# hardware-table.sh when they exist) exports the model's combinational Verilog, simulates it with Icarus
# Verilog on the model's recorded test vectors plus random and adversarial inputs, and counts the output
# lines that differ from the Java runtime's (qat predict's format). Long: run by hand, not in CI.
#   RANDOM_INPUTS=200 ADVERSARIAL_INPUTS=200   inputs besides the recorded test vectors
#   SIMULATOR=ICARUS                           or VERILATOR
#   MVN_ARGS=...                               extra Maven arguments (e.g. -Dmaven.repo.local=...)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -ntp -q ${MVN_ARGS:-} package -DskipTests -pl training-examples -am
Q="java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -jar training-examples/target/qat.jar"
[ -f runs/default/metrics.json ] || $Q train hgq-fashion-mlp --out runs/default
[ -f runs/hgq-fashion-cnn/metrics.json ] || $Q train hgq-fashion-cnn --out runs/hgq-fashion-cnn
RUNS=(runs/default runs/hgq-fashion-cnn)
[ -f runs/hw/jets-b64-beta-1e-4/metrics.json ] && RUNS+=(runs/hw/jets-b64-beta-1e-4)
java -Dqat.sim.random="${RANDOM_INPUTS:-200}" -Dqat.sim.adversarial="${ADVERSARIAL_INPUTS:-200}" \
    -Dqat.sim.simulator="${SIMULATOR:-ICARUS}" -cp training-examples/target/qat.jar \
    org.qat4j.examples.recipe.VerilogSimulationTable "${RUNS[@]}" | tee runs/simulation-table.md
