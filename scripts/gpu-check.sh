#!/usr/bin/env bash
# GPU check for a machine with an NVIDIA card and its driver.
#  1. builds the solution (or, without a .NET SDK, use a self-contained publish made elsewhere:
#     dotnet publish Semola.Experiments -c Release -r linux-x64 --self-contained -o out/semola),
#  2. runs the CUDA parity tests (they report as skipped, with the reason, when no CUDA device is found),
#  3. lists the devices and runs the benchmark on cuda: GEMM TFLOP/s and base-CNN training images/s.
# Usage: scripts/gpu-check.sh [device]   (device defaults to cuda; opencl:0 also works on a qualifying card)
set -euo pipefail
cd "$(dirname "$0")/.."
DEVICE="${1:-cuda}"

if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
else
  echo "note: nvidia-smi not found; the CUDA tests will report as skipped if no driver is present"
fi

if command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks | grep -q .; then
  dotnet build Semola.sln -c Release
  dotnet test Semola.Tests -c Release --no-build --filter "FullyQualifiedName~Semola.Tests.Kernels.Ilgpu.CudaParityTests" \
    --logger "console;verbosity=normal"
  RUN=(dotnet run --project Semola.Experiments -c Release --no-build --)
elif [ -x out/semola/Semola.Experiments ]; then
  echo "no .NET SDK: skipping the tests, using the self-contained build in out/semola"
  RUN=(out/semola/Semola.Experiments)
else
  echo "error: neither a .NET SDK nor out/semola/Semola.Experiments was found" >&2
  exit 1
fi

"${RUN[@]}" devices
"${RUN[@]}" bench --device "$DEVICE" --json "out/bench-$DEVICE.json"
