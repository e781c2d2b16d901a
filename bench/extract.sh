#!/usr/bin/env bash
# Benchmark: envlink's PackageExtractor vs Debian's cph (conda-package-handling), same packages,
# same run, alternating. Packages are built from real files on this machine: the Python
# installation's standard library and its site-packages split into three packages, each as
# .conda and .tar.bz2 (CondaPackageBuilder.fromDirectory).
#   bench/extract.sh [RUNS] [WORKDIR]
# Prints, per package, the median wall seconds of a fresh `cph x` process and of a fresh JVM
# running PackageExtractor (JVM start included), envlink's in-process seconds, the CPU seconds
# (user+sys) of both, the wall-time ratio cph/envlink, and the wall seconds of the whole CLI
# command `./envlink cache add` into an empty cache (which also hashes the archive for
# repodata_record.json, keeps a copy of it beside the entry and takes the locks).
# ZSTD_LEVEL (default 10) sets the .conda compression level; KEEP=1 keeps WORKDIR (and the built
# packages, reused by the next run with the same WORKDIR); OUT=DIR extracts into DIR instead of
# WORKDIR/out (e.g. OUT=/dev/shm/x to take the disk out of the measurement); JAVA_OPTS are passed
# to the envlink JVM (default: the options the ./envlink launcher runs with).
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
JAVA_OPTS="${JAVA_OPTS-$(ENVLINK_PRINT_JVM_OPTS=1 "$root/envlink")}"

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

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
out="${OUT:-$work/out}"
timed() { # timed FILE CMD...: runs CMD, appends "wall cpu" to FILE
  local f=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$f.t" "$@" >"$f.o" 2>/dev/null
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$f.t" >>"$f"
}
col() { awk -v c="$1" '{print $c}' "$2" | median; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); extracting into $out; envlink JVM options: ${JAVA_OPTS:-none}"
printf '\n%-32s %6s %6s %8s %8s %9s %8s %8s %8s %9s\n' package MiB files "cph s" "env s" "in-JVM s" "cph cpu" "env cpu" cph/env \
  "cache add"
tc=0; te=0; tcc=0; tec=0; ta=0
for archive in "$pkgs"/*.conda "$pkgs"/*.tar.bz2; do
  name="$(basename "$archive")"
  rm -f "$work/c" "$work/e" "$work/g" "$work/a"
  for _ in $(seq "$runs"); do
    rm -rf "$out"; mkdir -p "$(dirname "$out")"
    timed "$work/c" cph x "$archive" --dest "$out"
    rm -rf "$out"
    # shellcheck disable=SC2086
    timed "$work/e" java ${JAVA_OPTS:-} -cp "$cp" dev.envlink.cache.archive.ExtractBench extract "$archive" "$out"
    cat "$work/e.o" >>"$work/g"
    rm -rf "$out"
    timed "$work/a" "$root/envlink" cache add --cache-dir "$out" "$archive"
  done
  c=$(col 1 "$work/c"); e=$(col 1 "$work/e"); cc=$(col 2 "$work/c"); ec=$(col 2 "$work/e")
  g=$(col 1 "$work/g"); files=$(col 2 "$work/g"); a=$(col 1 "$work/a"); ta=$(echo "$ta + $a" | bc)
  tc=$(echo "$tc + $c" | bc); te=$(echo "$te + $e" | bc); tcc=$(echo "$tcc + $cc" | bc); tec=$(echo "$tec + $ec" | bc)
  printf '%-32s %6.1f %6d %8.2f %8.2f %9.2f %8.2f %8.2f %8.2f %9.2f\n' "$name" \
    "$(echo "$(stat -c %s "$archive") / 1048576" | bc -l)" "$files" "$c" "$e" "$g" "$cc" "$ec" "$(echo "$c / $e" | bc -l)" "$a"
done
rm -rf "$out"
printf '%-32s %6s %6s %8.2f %8.2f %9s %8.2f %8.2f %8.2f %9.2f\n' total "" "" "$tc" "$te" "" "$tcc" "$tec" "$(echo "$tc / $te" | bc -l)" "$ta"
echo "cph / envlink cache add (whole CLI command): $(printf '%.2f' "$(echo "$tc / $ta" | bc -l)")"
echo "($(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg); median of $runs runs; zstd level $level;"
echo " 'env s' is a fresh JVM per extraction, JVM start included; cpu = user + sys seconds)"
