#!/usr/bin/env bash
# Benchmark: envlink's PackageExtractor vs Debian's cph (conda-package-handling), same packages,
# same run, alternating. Packages are built from real files on this machine: the Python
# installation's standard library and its site-packages split into three packages, each as
# .conda and .tar.bz2 (CondaPackageBuilder.fromDirectory).
#   bench/extract.sh [RUNS] [WORKDIR]
# Prints, per package, the median wall seconds of a fresh `cph x` process and of a fresh JVM
# running PackageExtractor (JVM start included), envlink's in-process seconds, and cph/envlink.
# ZSTD_LEVEL (default 10) sets the .conda compression level; KEEP=1 keeps the packages.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
work="${2:-$(mktemp -d)}"
level="${ZSTD_LEVEL:-10}"
command -v cph >/dev/null || { echo "cph missing: apt-get install conda-package-handling" >&2; exit 1; }
mkdir -p "$work"
cleanup() { [[ "${KEEP:-0}" == 1 ]] || rm -rf "$work"; }
trap cleanup EXIT

echo "building envlink (testing, cache) ..."
( cd "$root"
  mvn -B -q -N install
  mvn -B -q -f linker-api/pom.xml install -Dmaven.test.skip
  mvn -B -q -f testing/pom.xml install -Dmaven.test.skip
  mvn -B -q -f cache/pom.xml test-compile
  mvn -B -q -f cache/pom.xml dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" )
cp="$root/cache/target/classes:$root/cache/target/test-classes:$(cat "$work/cp.txt")"
bench() { java -cp "$cp" dev.envlink.cache.archive.ExtractBench "$@"; }

py="$(python3 -c 'import sys; print(sys.base_prefix)')"
stdlib="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
site="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
rel_stdlib="${stdlib#"$py"/}"; rel_site="${site#"$py"/}"
stage="$work/stage"; pkgs="$work/pkgs"; mkdir -p "$stage" "$pkgs"

# link_tree SRC DST: hard links where possible (same filesystem), else copies
link_tree() { mkdir -p "$(dirname "$2")"; cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"; }

if [[ ! -e "$pkgs/.built" ]]; then
  echo "staging packages from $py ..."
  mkdir -p "$stage/python-stdlib/$rel_stdlib"
  for e in "$stdlib"/*; do
    [[ "$(basename "$e")" == site-packages ]] && continue
    link_tree "$e" "$stage/python-stdlib/$rel_stdlib/$(basename "$e")"
  done
  # site-packages: top-level entries dealt largest first to the currently smallest of 3 packages
  declare -a size=(0 0 0)
  while IFS=$'\t' read -r kb entry; do
    i=0; for j in 1 2; do (( size[j] < size[i] )) && i=$j; done
    size[i]=$(( size[i] + kb ))
    link_tree "$site/$entry" "$stage/site-packages-$((i + 1))/$rel_site/$entry"
  done < <(cd "$site" && du -sk -- * | sort -rn)
  for d in "$stage"/*; do
    bench build "$pkgs" "$(basename "$d")" "$d" "$level"
  done
  touch "$pkgs/.built"
fi

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
out="$work/out"
printf '\n%-34s %9s %7s %8s %10s %10s %8s\n' package MiB files "cph s" "envlink s" "(in-JVM)" cph/env
tc=0; te=0
for archive in "$pkgs"/*.conda "$pkgs"/*.tar.bz2; do
  name="$(basename "$archive")"
  cph_t=(); env_t=(); eng_t=(); files=0
  for _ in $(seq "$runs"); do
    rm -rf "$out"; t0=$(now); cph x "$archive" --dest "$out" >/dev/null 2>&1; t1=$(now)
    cph_t+=("$(echo "$t1 - $t0" | bc)")
    rm -rf "$out"; t0=$(now); res=$(bench extract "$archive" "$out"); t1=$(now)
    env_t+=("$(echo "$t1 - $t0" | bc)"); read -r eng files _ <<<"$res"; eng_t+=("$eng")
  done
  c=$(printf '%s\n' "${cph_t[@]}" | median); e=$(printf '%s\n' "${env_t[@]}" | median)
  g=$(printf '%s\n' "${eng_t[@]}" | median)
  tc=$(echo "$tc + $c" | bc); te=$(echo "$te + $e" | bc)
  printf '%-34s %9.1f %7d %8.2f %10.2f %10.2f %8.2f\n' "$name" "$(echo "$(stat -c %s "$archive") / 1048576" | bc -l)" \
    "$files" "$c" "$e" "$g" "$(echo "$c / $e" | bc -l)"
done
rm -rf "$out"
printf '%-34s %9s %7s %8.2f %10.2f %10s %8.2f\n' total "" "" "$tc" "$te" "" "$(echo "$tc / $te" | bc -l)"
echo "($(nproc) cores; median of $runs runs; zstd level $level; JVM start included in 'envlink s')"
