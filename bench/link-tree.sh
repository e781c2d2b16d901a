#!/usr/bin/env bash
# Benchmark: envlink link vs GNU cp on real loop-mounted Btrfs and ext4, same tree, same run.
#   sudo bench/link-tree.sh [SOURCE_TREE] [RUNS]
# SOURCE_TREE defaults to this machine's Python standard library. Prints wall seconds (median
# of RUNS, JVM start included), envlink's own engine time, and the ratio envlink/cp.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${1:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}"
runs="${2:-5}"
[[ $(id -u) == 0 ]] || { echo "needs root (loop mounts)" >&2; exit 1; }

"$root/envlink" --version >/dev/null   # build the jar outside the timings
jar="$root/cli/target/envlink.jar"
work="$(mktemp -d)"
cleanup() {
  for m in "$work"/btrfs "$work"/ext4; do mountpoint -q "$m" && umount "$m"; done
  rm -rf "$work"
}
trap cleanup EXIT

size_mb=$(( $(du -sm "$src" | cut -f1) * 3 + 400 ))
for fs in btrfs ext4; do
  truncate -s "${size_mb}M" "$work/$fs.img"
  case $fs in
    btrfs) mkfs.btrfs -q "$work/$fs.img" >/dev/null 2>&1 ;;
    ext4) mkfs.ext4 -q -F "$work/$fs.img" ;;
  esac
  mkdir "$work/$fs"; mount -o loop "$work/$fs.img" "$work/$fs"
  cp -a "$src" "$work/$fs/src"
done
files=$(find "$src" -type f | wc -l); bytes=$(du -sb "$src" | cut -f1)
echo "tree: $src ($files files, $((bytes / 1048576)) MiB), $runs runs each, median wall seconds"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# time_cmd DIR CMD...: runs CMD with DIR/dst removed before each run; prints the median seconds
time_cmd() {
  local dir=$1; shift
  for _ in $(seq "$runs"); do
    rm -rf "$dir/dst"; sync; local t0; t0=$(now)
    "$@" >/dev/null; local t1; t1=$(now)
    echo "$t1 - $t0" | bc
  done | median
}
engine_time() { # median of envlink's own "seconds" (without JVM start)
  local dir=$1; shift
  for _ in $(seq "$runs"); do
    rm -rf "$dir/dst"; sync
    java -jar "$jar" link "$@" --json | sed -n 's/.*"seconds" : \([0-9.]*\).*/\1/p'
  done | median
}
row() { printf '%-34s cp %7.3f s   envlink %7.3f s (engine %7.3f s)   ratio %5.2f\n' "$1" "$2" "$3" "$4" "$(echo "$3 / $2" | bc -l)"; }

B=$work/btrfs E=$work/ext4
row "btrfs reflink (cp --reflink=always)" \
  "$(time_cmd "$B" cp -a --reflink=always "$B/src" "$B/dst")" \
  "$(time_cmd "$B" java -jar "$jar" link --mode reflink --strict "$B/src" "$B/dst")" \
  "$(engine_time "$B" --mode reflink --strict "$B/src" "$B/dst")"
row "ext4 hardlink (cp -al)" \
  "$(time_cmd "$E" cp -al "$E/src" "$E/dst")" \
  "$(time_cmd "$E" java -jar "$jar" link --mode hardlink --strict "$E/src" "$E/dst")" \
  "$(engine_time "$E" --mode hardlink --strict "$E/src" "$E/dst")"
row "ext4 copy (cp -a)" \
  "$(time_cmd "$E" cp -a --reflink=never "$E/src" "$E/dst")" \
  "$(time_cmd "$E" java -jar "$jar" link --mode copy "$E/src" "$E/dst")" \
  "$(engine_time "$E" --mode copy "$E/src" "$E/dst")"
row "btrfs -> ext4 auto (cp -a)" \
  "$(time_cmd "$E" cp -a "$B/src" "$E/dst")" \
  "$(time_cmd "$E" java -jar "$jar" link "$B/src" "$E/dst")" \
  "$(engine_time "$E" "$B/src" "$E/dst")"
