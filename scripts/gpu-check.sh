#!/usr/bin/env bash
# GPU check for a machine with an NVIDIA card and its driver; the .NET SDK is not needed there.
#
# Beforehand, on a machine with the .NET 10 SDK, make a self-contained build from the repository root:
#   dotnet publish Semola.Tests -c Release -r linux-x64 --self-contained -o out/gpu-check
# (the test project references the experiments, so out/gpu-check holds both executables,
# Semola.Tests and Semola.Experiments). Copy the repository, with out/gpu-check and data/, to the GPU
# machine and run from the repository root:
#   scripts/gpu-check.sh [--device cuda[:i]] [--out DIR] [--build DIR]
# Without out/gpu-check it builds with the SDK when one is installed.
#
# Steps (each runs even if an earlier one failed; the exit code is 1 if any failed):
#  1. the card (nvidia-smi) and the devices Semola sees,
#  2. the CUDA parity tests (every kernel against the CPU backend, on CUDA device 0),
#  3. the benchmark on the device: GEMM TFLOP/s at 1024-8192, conv2d, base-CNN and SEMoLA training
#     steps, matrix exponential and grid sampling,
#  4. a short RotatedMNIST run (SEMoLA, 1 epoch, 2000 training and 500 test digits).
# Everything lands in DIR (default out/gpu-check-results): the logs of each step and one summary,
# gpu-check.json, holding the card, the parity counts, the benchmark figures and the run's results.
set -uo pipefail
cd "$(dirname "$0")/.."

DEVICE=cuda
OUT=out/gpu-check-results
BUILD=out/gpu-check
while [ $# -gt 0 ]; do
  case "$1" in
    --device) DEVICE="${2:?--device needs a value}"; shift 2 ;;
    --out) OUT="${2:?--out needs a value}"; shift 2 ;;
    --build) BUILD="${2:?--build needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"

# The two programs: the self-contained build, else a build made here with the SDK.
if [ -x "$BUILD/Semola.Experiments" ] && [ -x "$BUILD/Semola.Tests" ]; then
  EXP=("$BUILD/Semola.Experiments")
  TESTS=("$BUILD/Semola.Tests")
  echo "using the self-contained build in $BUILD"
elif command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks 2>/dev/null | grep -q .; then
  echo "no self-contained build in $BUILD: building with the .NET SDK"
  dotnet build Semola.sln -c Release || { echo "error: build failed" >&2; exit 1; }
  EXP=(dotnet Semola.Experiments/bin/Release/net10.0/Semola.Experiments.dll)
  TESTS=(dotnet Semola.Tests/bin/Release/net10.0/Semola.Tests.dll)
else
  echo "error: neither $BUILD/Semola.Experiments and $BUILD/Semola.Tests nor a .NET SDK was found." >&2
  echo "On a machine with the SDK run: dotnet publish Semola.Tests -c Release -r linux-x64 --self-contained -o $BUILD" >&2
  exit 1
fi

failed=0
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr -d '\n\r')"; }
json_file() { if [ -s "$1" ]; then cat "$1"; else printf 'null'; fi; }

echo "== 1. card and devices"
gpu_name="" gpu_driver="" gpu_memory="" gpu_cc="" gpu_clock=""
if command -v nvidia-smi >/dev/null 2>&1; then
  line=$(nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap,clocks.max.sm --format=csv,noheader 2>/dev/null | head -n 1)
  IFS=',' read -r gpu_name gpu_driver gpu_memory gpu_cc gpu_clock <<<"$line"
  echo "card: $line"
else
  echo "note: nvidia-smi not found; the CUDA steps will report that no CUDA device is present"
fi
"${EXP[@]}" devices 2>&1 | tee "$OUT/devices.txt"

echo "== 2. CUDA parity tests"
"${TESTS[@]}" --cuda-parity --json "$OUT/parity.json" 2>&1 | tee "$OUT/parity.txt"
parity_rc=${PIPESTATUS[0]}
[ "$parity_rc" -eq 0 ] || failed=1
if grep -q '"passed":0,' "$OUT/parity.json" 2>/dev/null; then
  echo "warning: no parity test ran (no CUDA device?)"
  failed=1
fi

echo "== 3. benchmark on $DEVICE"
rm -f "$OUT/bench.json"
"${EXP[@]}" bench --device "$DEVICE" --json "$OUT/bench.json" 2>&1 | tee "$OUT/bench.txt"
bench_rc=${PIPESTATUS[0]}
[ "$bench_rc" -eq 0 ] || failed=1

echo "== 4. RotatedMNIST, 1 epoch on $DEVICE"
rm -rf "$OUT/rotmnist"
start=$(date +%s)
"${EXP[@]}" rotmnist --device "$DEVICE" --epochs 1 --train-size 2000 --test-size 500 --out "$OUT/rotmnist" 2>&1 | tee "$OUT/rotmnist.txt"
train_rc=${PIPESTATUS[0]}
train_seconds=$(( $(date +%s) - start ))
[ "$train_rc" -eq 0 ] || failed=1

{
  printf '{\n'
  printf '  "device": %s,\n' "$(json_string "$DEVICE")"
  printf '  "card": {"name": %s, "driver": %s, "memory": %s, "compute_capability": %s, "max_sm_clock": %s},\n' \
    "$(json_string "${gpu_name# }")" "$(json_string "${gpu_driver# }")" "$(json_string "${gpu_memory# }")" \
    "$(json_string "${gpu_cc# }")" "$(json_string "${gpu_clock# }")"
  printf '  "exit_codes": {"parity": %d, "bench": %d, "rotmnist": %d},\n' "$parity_rc" "$bench_rc" "$train_rc"
  printf '  "parity": '; json_file "$OUT/parity.json"; printf ',\n'
  printf '  "bench": '; json_file "$OUT/bench.json"; printf ',\n'
  printf '  "rotmnist": {"seconds": %d, "results": ' "$train_seconds"; json_file "$OUT/rotmnist/results.json"; printf '}\n'
  printf '}\n'
} > "$OUT/gpu-check.json"
echo "wrote $OUT/gpu-check.json"
if [ "$failed" -ne 0 ]; then
  echo "GPU check: some steps failed (see the logs in $OUT)" >&2
  exit 1
fi
echo "GPU check: all steps passed"
