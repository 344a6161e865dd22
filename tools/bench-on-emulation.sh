#!/usr/bin/env bash
# One epoch of each bench model on the CPU and on the CUDA emulation (`--device cuda` with -Dlamina.cuda=emulated),
# on the first rows of Fashion-MNIST: the GPU path's end-to-end check where there is no GPU. The two test
# accuracies must agree within noise (the GPU path sums in another order). The emulation runs each kernel's
# threads one at a time on the CPU, so it is slow: the ResNet takes about 15 minutes at 2,000 rows on 2 cores.
# Usage: tools/bench-on-emulation.sh [TRAIN_ROWS [TEST_ROWS]]   (after `mvn -B -q install -DskipTests`)
set -euo pipefail
cd "$(dirname "$0")/.."
train=${1:-2000}
test=${2:-1000}
jar=samples/target/lamina-samples.jar
for model in mlp lenet lstm resnet; do
    for device in cpu cuda; do
        java -Dlamina.cuda=emulated -jar "$jar" bench --model "$model" --epochs 1 --device "$device" \
            --train-rows "$train" --test-rows "$test" | tail -1
    done
done
