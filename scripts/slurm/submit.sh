#!/bin/bash
# Submits the sweep's job array, then the merge, which starts only when every array task has succeeded.
# Run from the repository's root; SEMOLA, CONFIG, OUT and N (the number of tasks) pass through to both
# jobs (sbatch exports the environment by default).
set -euo pipefail
here=$(dirname "$0")
array=$(sbatch --parsable --array=1-"${N:-9}" "$here/sweep.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" "$here/merge.sbatch")
echo "sweep: job array $array; merge: job ${merge%%;*} (runs after the whole array succeeds)"
