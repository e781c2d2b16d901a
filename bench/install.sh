#!/usr/bin/env bash
# Benchmark: warm-cache `envlink install` of a large environment vs GNU cp of the same payload, on
# real loop-mounted Btrfs, XFS (-m reflink=1) and ext4, same packages, same run.
#   sudo bench/install.sh [RUNS] [WORKDIR]
#
# Packages are built once from real files on this machine (bench/BuildInstallPackages.java with the
# testing module's CondaPackageBuilder): the Python installation at sys.base_prefix split into
# bench-python (bin/, include/, lib/*.so, share/ ...), bench-python-stdlib (lib/pythonX.Y without
# site-packages), one package for each of the 10 largest top-level site-packages entries and
# bench-sp-rest for the others. Text files that contain the prefix get it as their placeholder (like
# conda-build does), so envlink rewrites those few files; cp of course does not.
#
# For each filesystem: a sparse image (payload x 3 + 1 GiB), mkfs, mount; `envlink cache add` of all
# packages into M/cache (cold extraction, timed once, reported separately); then RUNS times,
# alternating, each into a fresh directory on the same mount (removed afterwards, untimed; `sync`
# before every timed command, no cache dropping):
#   envlink     ./envlink install --json --cache-dir M/cache --prefix M/envN ARCHIVES...
#               (the launcher with its JVM options and start-up archive, made untimed before, on a
#               private copy of the jar; JAVA_HOME picks the JVM, printed in the header; auto mode: reflink
#               on Btrfs/XFS, hardlink on ext4). Wall time includes JVM start and exit; "engine" is
#               the JSON "seconds" (Installer: plan + transaction).
#   cp -al      for each cached package dir D: cp -al D/*-but-info M/dst/
#   cp reflink  for each cached package dir D: cp -r --reflink=always --preserve=mode,timestamps
#               D/*-but-info M/dst/   (envlink also sets mode and mtime on clones; n/a on ext4)
# i.e. cp places exactly the union of the extracted package dirs minus info/ (what envlink places),
# but writes no conda-meta records, journal or history and rewrites no prefix files.
# Prints median wall seconds, the ratios envlink/cp, and where envlink's time goes: the JVM start
# (median of `./envlink --version`) and the JSON "phases" of the median envlink run (read inputs;
# fetch = find each cache entry, read its metadata once and validate it (fast: sizes); plan; journal;
# prepare = the engine's placements (new directories are made from here on); backup; place files;
# records; commit).
#
# Environment: FS ("btrfs xfs ext4"), SOURCE_PREFIX (default: python3's sys.base_prefix), BIG (10),
# SLOW (60: an envlink run slower than this is not repeated on that filesystem), ENVLINK_TIMEOUT
# (120: an envlink run is stopped after this many seconds and shown as ">N"; 0 = no limit; keeps the
# whole script near 10 minutes on 2 cores even when the install is pathologically slow),
# ENVLINK_JOBS (passed as -j), KEEP=1 keeps WORKDIR (the built packages are reused next time).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
work="${2:-$(mktemp -d)}"
fses="${FS:-btrfs xfs ext4}"
slow="${SLOW:-60}"
tmo="${ENVLINK_TIMEOUT:-120}"
[[ $(id -u) == 0 ]] || { echo "needs root (loop mounts)" >&2; exit 1; }
for t in java bc jq timeout mount losetup; do
  command -v "$t" >/dev/null || { echo "$t missing" >&2; exit 1; }
done
mkdir -p "$work"
work="$(cd "$work" && pwd)"
t_start=$(date +%s)

mounts=()
cleanup() {
  set +e
  for m in "${mounts[@]}"; do
    if mountpoint -q "$m"; then umount "$m" 2>/dev/null || umount -l "$m"; fi
  done
  for img in "$work"/*.img; do
    [[ -e "$img" ]] || continue
    losetup -j "$img" | cut -d: -f1 | while read -r dev; do losetup -d "$dev"; done
    rm -f "$img"
  done
  if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$work"; else rm -rf "$work"/mnt-* "$work"/out; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- build envlink and the packages (untimed) --------------------------------------------------
echo "building envlink ..."
"$root/envlink" --version >/dev/null
jar="$work/envlink.jar"
cp "$root/cli/target/envlink.jar" "$jar"   # a private copy: a rebuild during the run cannot break it
rev="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
[[ -z "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]] || rev="$rev+dirty"

pkgs="$work/pkgs"
src="${SOURCE_PREFIX:-$(python3 -c 'import sys; print(sys.base_prefix)')}"
if [[ ! -e "$pkgs/.built" ]]; then
  echo "building packages from $src ..."
  if [[ ! -e "$root/testing/target/classes/dev/envlink/testing/conda/CondaPackageBuilder.class" ]]; then
    mvn -B -q -o -Dstyle.color=never -f "$root/testing/pom.xml" compile
  fi
  mvn -B -q -o -Dstyle.color=never -f "$root/testing/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$work/cp.txt" >/dev/null 2>"$work/mvn.err" || { cat "$work/mvn.err" >&2; exit 1; }
  rm -rf "$pkgs"
  java -cp "$root/testing/target/classes:$(cat "$work/cp.txt")" "$root/bench/BuildInstallPackages.java" \
    "$src" "$pkgs" "${BIG:-10}" > "$work/packages.txt"
  touch "$pkgs/.built"
fi
archives=("$pkgs"/*.conda)
read -r files bytes prefixed < <(awk '{f += $2; b += $3; p += $4} END {print f, b, p}' "$work/packages.txt")
archive_mb=$(( $(du -cb "${archives[@]}" | tail -1 | cut -f1) / 1048576 ))
payload_mb=$(( bytes / 1048576 ))
size_mb=$(( (payload_mb + archive_mb) * 3 + 1024 ))

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "nan"}'; }
sub() { echo "$1 - $2" | bc -l; }
ratio() { [[ "$1" == n/a || "$2" == n/a ]] && { echo n/a; return; }; printf '%.2f' "$(echo "${1#>} / $2" | bc -l)"; }
ejobs=(); [[ -n "${ENVLINK_JOBS:-}" ]] && ejobs=(-j "$ENVLINK_JOBS")

envlink_cli() { ENVLINK_JAR="$jar" "$root/envlink" "$@"; }
envlink_cli --version >/dev/null   # untimed: makes the launcher's start-up archive for this jar, once
jvm=$(for _ in $(seq "$runs"); do t0=$(now); envlink_cli --version >/dev/null; t1=$(now); sub "$t1" "$t0"; done | median)

# cp_payload DST CP-OPTIONS...: the union of the cached package dirs minus info/, one cp per package
cp_payload() {
  local dst=$1; shift
  mkdir "$dst"
  local d x e
  for d in "${pkgdirs[@]}"; do
    e=()
    shopt -s dotglob nullglob
    for x in "$d"/*; do [[ "${x##*/}" == info ]] || e+=("$x"); done
    shopt -u dotglob nullglob
    if ((${#e[@]})); then cp "$@" "${e[@]}" "$dst/"; fi
  done
}
count_tree() { find "$1" -mindepth 1 \( -path "$1/conda-meta" -prune -o -print \) | wc -l; }

echo "payload: $src -> ${#archives[@]} packages, $files files ($prefixed with the prefix), $payload_mb MiB" \
  "($archive_mb MiB of .conda); envlink $rev; $(nproc) cores; median of $runs runs; images ${size_mb} MiB;" \
  "$(envlink_cli --version | grep '^Java' || echo 'Java ?')"
printf '\n%-6s %10s %9s %9s %11s %9s %11s  %s\n' fs envlink "(engine)" "cp -al" "cp reflink" "env/cp-al" \
  "env/reflink" "envlink placed by"
rows=(); notes=()
for fs in $fses; do
  case $fs in
    btrfs) mkfs=(mkfs.btrfs -q -f) ;;
    xfs) mkfs=(mkfs.xfs -q -f -m reflink=1) ;;
    ext4) mkfs=(mkfs.ext4 -q -F) ;;
    *) echo "unknown filesystem $fs" >&2; exit 2 ;;
  esac
  if ! command -v "${mkfs[0]}" >/dev/null; then
    printf '%-6s n/a: %s missing\n' "$fs" "${mkfs[0]}"; continue
  fi
  img="$work/$fs.img"; M="$work/mnt-$fs"
  rm -f "$img"; truncate -s "${size_mb}M" "$img"
  "${mkfs[@]}" "$img" >/dev/null 2>&1
  mkdir -p "$M"
  if ! mount -o loop "$img" "$M" 2>"$work/mount.err"; then
    printf '%-6s n/a: mount failed: %s\n' "$fs" "$(head -1 "$work/mount.err")"; rm -f "$img"; continue
  fi
  mounts+=("$M")

  # warm the cache (cold extraction; reported, not part of the comparison)
  sync; t0=$(now); envlink_cli cache add --cache-dir "$M/cache" "${archives[@]}" >/dev/null; t1=$(now)
  add_s=$(sub "$t1" "$t0")
  pkgdirs=(); for a in "${archives[@]}"; do pkgdirs+=("$M/cache/pkgs/$(basename "$a" .conda)"); done

  ewall=(); eeng=(); elink=(); ephases=(); cpal=(); cpref=(); method=""; timed_out=""; stop_envlink=""
  for i in $(seq "$runs"); do
    if [[ -z "$stop_envlink" ]]; then
      sync; t0=$(now); rc=0
      timeout -k 5 "$tmo" env ENVLINK_JAR="$jar" "$root/envlink" install --json "${ejobs[@]}" --cache-dir "$M/cache" \
        --prefix "$M/env$i" "${archives[@]}" > "$work/install.json" 2>"$work/install.err" || rc=$?
      t1=$(now); w=$(sub "$t1" "$t0")
      if [[ $rc == 124 || $rc == 137 ]]; then
        timed_out=">$tmo"; stop_envlink=1
      elif [[ $rc != 0 ]]; then
        echo "envlink install failed on $fs (exit $rc):" >&2; tail -20 "$work/install.err" >&2; exit 1
      else
        ewall+=("$w")
        eeng+=("$(jq '.seconds' "$work/install.json")"); elink+=("$(jq '.link.seconds' "$work/install.json")")
        ephases+=("$w $(jq -c '.phases // {}' "$work/install.json")")
        method=$(jq -r '.link.methods | to_entries | max_by(.value.files) | "\(.key) \(.value.files) files"' \
          "$work/install.json")
        method="$method, $(jq '.rewritten' "$work/install.json") rewritten"
        if [[ $i == 1 ]]; then   # same tree as cp? (files, symlinks and directories outside conda-meta)
          cp_payload "$M/check" -al
          a=$(count_tree "$M/env$i"); b=$(count_tree "$M/check"); rm -rf "$M/check"
          [[ "$a" == "$b" ]] || notes+=("warning: $fs: envlink placed $a entries, cp -al $b")
        fi
        if (( $(echo "$w > $slow" | bc) )); then stop_envlink=1; fi
      fi
      rm -rf "$M/env$i"
    fi
    sync; t0=$(now); cp_payload "$M/dst" -al; t1=$(now); cpal+=("$(sub "$t1" "$t0")"); rm -rf "$M/dst"
    if [[ $fs != ext4 ]]; then
      sync; t0=$(now); cp_payload "$M/dst" -r --reflink=always --preserve=mode,timestamps; t1=$(now)
      cpref+=("$(sub "$t1" "$t0")"); rm -rf "$M/dst"
    fi
  done

  if ((${#ewall[@]})); then
    ew=$(printf '%s\n' "${ewall[@]}" | median); ee=$(printf '%s\n' "${eeng[@]}" | median)
    el=$(printf '%s\n' "${elink[@]}" | median)
    ewf=$(printf '%.3f' "$ew"); eef=$(printf '%.3f' "$ee")
    if (( ${#ewall[@]} < runs )); then ewf="$ewf*"; notes+=("* $fs: envlink ran ${#ewall[@]}x (a run took > ${slow}s)"); fi
    # the phases of the median run (the run whose wall time is the median)
    ph=$(printf '%s\n' "${ephases[@]}" | sort -n -k1,1 | awk -v n="${#ephases[@]}" 'NR == int((n + 1) / 2) {$1 = ""; print}')
    ph=$(echo "$ph" | jq -r 'to_entries | map("\(.key) \(.value)") | join(", ")')
    notes+=("$(printf '%-6s JVM start (--version) %.2f s; cache add (cold) %.1f s; median run: %s' "$fs" "$jvm" "$add_s" "$ph")")
  else
    ew="$timed_out"; ewf="$timed_out"; eef="n/a"; method="stopped after ${tmo}s"
    notes+=("$(printf '%-6s envlink stopped after %s s (ENVLINK_TIMEOUT); cache add (cold) %.1f s' "$fs" "$tmo" "$add_s")")
  fi
  ca=$(printf '%s\n' "${cpal[@]}" | median)
  if ((${#cpref[@]})); then cr=$(printf '%s\n' "${cpref[@]}" | median); crf=$(printf '%.3f' "$cr"); else cr=n/a; crf=n/a; fi
  r1=$(ratio "$ew" "$ca"); r2=$(ratio "$ew" "$cr")
  if [[ "$ew" == ">"* ]]; then
    [[ $r1 == n/a ]] || r1=">$r1"
    [[ $r2 == n/a ]] || r2=">$r2"
  fi
  printf '%-6s %10s %9s %9.3f %11s %9s %11s  %s\n' "$fs" "$ewf" "$eef" "$ca" "$crf" "$r1" "$r2" "$method"

  umount "$M"; mounts=("${mounts[@]/$M}"); rm -f "$img"
done
echo
echo "where envlink's time goes (medians):"
printf '  %s\n' "${notes[@]}"
echo "(wall seconds; JVM start included in 'envlink'; like for like: reflink columns on btrfs/xfs, cp -al on ext4;" \
  "total script time $(( $(date +%s) - t_start )) s)"
