#!/usr/bin/env bash
# Runs the jcstress tests of dev.pythread.Lock (stress/target/jcstress.jar) within a CI budget on 2 cores, and exits
# non-zero unless every test ran and every outcome it observed is an ACCEPTABLE one.
#
#   build:  mvn -B -ntp -q -Pstress -pl stress -am -DskipTests package
#   run:    bash stress/run.sh                      # the CI budget below
#           bash stress/run.sh -m default -t Visibility   # any jcstress options instead of the budget
#
# The java of JAVA_HOME runs it if set, else the one on PATH. Everything jcstress writes goes to
# stress/target/jcstress-run/: the full log (jcstress.log) and the HTML report (results/index.html).
#
# Why the checks: jcstress 0.16 exits with status 1 when a test fails or errs (an AssertionError thrown from main
# after the report), but with 0 when it ran nothing ("FATAL: No matching tests.", no usable JVM) and when a test
# could not link (API_MISMATCH, counted as a "soft error" and otherwise ignored). So the log is checked too.
# And it has no time limit: a test whose actor never wakes up (a lost wake-up in Lock: both actors block in
# acquire()) hangs it for ever. So after STRESS_TIMEOUT seconds (default 900) the run fails, with the stacks of the
# hung JVMs in stress/target/jcstress-run/hang-*.txt, and its processes are killed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/jcstress.jar"
out="$here/target/jcstress-run"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [ ! -f "$jar" ]; then
  echo "stress/run.sh: $jar is missing; build it first: mvn -B -ntp -q -Pstress -pl stress -am -DskipTests package" >&2
  exit 1
fi

# The CI budget: jcstress's "quick" preset (200 ms per iteration, 1 fork per JVM configuration, no fork multiplier
# for the -XX:+Stress* configurations) with 2 iterations instead of 5, on 2 CPUs. Each test still runs in every
# JVM configuration jcstress detects and every split of interpreter/C1/C2 between its two actors.
cpus=$(nproc)
if [ "$cpus" -gt 2 ]; then cpus=2; fi
if [ $# -gt 0 ]; then
  options=("$@")
else
  options=(-m quick -iters 2 -c "$cpus")
fi

rm -rf "$out"
mkdir -p "$out"
cd "$out" # jcstress writes its result blob into the working directory

# English number formats: the samples column is parsed below. On JDK 22+, native access for JNA (jcstress sets CPU
# affinity with it), or every JVM warns about System::load. jcstress passes the harness's JVM options on to the
# JVMs it forks.
harness=("$java" -Duser.language=en -Duser.country=US)
feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
if [ "${feature%%.*}" -ge 22 ] 2>/dev/null; then
  harness+=(--enable-native-access=ALL-UNNAMED)
fi
harness+=(-jar "$jar")

"${harness[@]}" -l "${options[@]}" > list.log 2>&1 || { cat list.log >&2; exit 1; }
expected=$(grep -c '^dev\.pythread\.' list.log || true)
if [ "$expected" -eq 0 ]; then
  cat list.log >&2
  echo "stress/run.sh: FAILED: no test matches the options: ${options[*]}" >&2
  exit 1
fi
echo "stress/run.sh: $expected tests on $("$java" -version 2>&1 | head -1), options: ${options[*]}"

limit=${STRESS_TIMEOUT:-900}
start=$SECONDS
status=0
timed_out=false
# -v: the final report has every test's outcome table, which is what is checked below. On the console only the
# progress lines and the final report; the per-fork tables stay in jcstress.log. setsid: the harness and the JVMs
# it forks get a process group of their own, to be killed together if they hang.
setsid "${harness[@]}" -v -r "$out/results" "${options[@]}" > jcstress.log 2>&1 &
pid=$!
sleep 1
if [ "$(ps -o sid= -p "$pid" | tr -d ' ')" != "$pid" ]; then # setsid forked: $! is not the group to kill
  echo "stress/run.sh: cannot find jcstress's process group (run me without job control: bash stress/run.sh)" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
fi
tail -n +1 -f --pid="$pid" jcstress.log | grep --line-buffered -E '^\(Results: |^\(ETA: ' &
while kill -0 "$pid" 2>/dev/null; do
  if [ $((SECONDS - start)) -ge "$limit" ]; then
    timed_out=true
    jstack="${JAVA_HOME:+$JAVA_HOME/bin/}jstack"
    for p in $(pgrep -g "$pid" java || true); do
      "$jstack" "$p" > "hang-$p.txt" 2>&1 || true
    done
    kill -TERM -- "-$pid" 2>/dev/null || true
    sleep 5
    kill -KILL -- "-$pid" 2>/dev/null || true
    break
  fi
  sleep 1
done
wait "$pid" || status=$?
wait || true # the progress filter, which ends with the harness
elapsed=$((SECONDS - start))

report=$(sed -n '/^RUN RESULTS:/,$p' jcstress.log)
printf '%s\n' "$report"

problems=()
if $timed_out; then
  problems+=("still running after ${limit}s: a hang (a lost wake-up?); thread dumps: $(ls "$out"/hang-*.txt 2>/dev/null | tr '\n' ' ')")
  for f in "$out"/hang-*.txt; do
    if [ -f "$f" ]; then grep -B3 -A12 'dev\.pythread\.Lock\.' "$f" | head -60 >&2 || true; fi
  done
fi
[ "$status" -eq 0 ] || problems+=("jcstress exited with status $status")
[ -n "$report" ] || problems+=("jcstress printed no RUN RESULTS section")
grep -q '^  Failed tests: No matches\.$' <<<"$report" || problems+=("some tests failed (see 'Failed tests')")
grep -q '^  Error tests: No matches\.$' <<<"$report" || problems+=("some tests erred (see 'Error tests')")

totals=$(grep -E '^\(Results: ' jcstress.log | tail -1 || true)
if [[ $totals =~ ^\(Results:\ ([0-9]+)\ planned\;\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ soft\ errs,\ ([0-9]+)\ hard\ errs\)$ ]]; then
  planned=${BASH_REMATCH[1]} passed=${BASH_REMATCH[2]}
  [ "$planned" -gt 0 ] && [ "$passed" -eq "$planned" ] || problems+=("only $passed of $planned planned results passed: $totals")
else
  planned=0
  problems+=("no final '(Results: ...)' line in jcstress.log")
fi

ok_tests=$(grep -cE '^[ .]*\[OK\] dev\.pythread\.' <<<"$report" || true)
[ "$ok_tests" -eq "$expected" ] || problems+=("$ok_tests of $expected tests passed")

# Every outcome row of the final tables: "<id>  <samples>  <freq>%  <expect>  <description>".
rows=$(grep -oE '  [0-9,]+ +[0-9.]+% +[A-Za-z_]+  ' <<<"$report" || true)
samples=$(awk '{ gsub(",", "", $1); n += $1 } END { printf "%d", n }' <<<"$rows")
bad_rows=$(awk '{ gsub(",", "", $1) } $1 > 0 && $3 != "Acceptable" { print }' <<<"$rows")
[ -z "$bad_rows" ] || problems+=("outcomes observed that are not ACCEPTABLE: $(tr -s ' \n' ' ' <<<"$bad_rows")")
[ "$samples" -gt 0 ] || problems+=("no samples were taken")

if [ ${#problems[@]} -gt 0 ]; then
  for p in "${problems[@]}"; do echo "stress/run.sh: FAILED: $p" >&2; done
  echo "stress/run.sh: full log: $out/jcstress.log; report: $out/results/index.html" >&2
  echo "jcstress: $ok_tests passed, $((expected - ok_tests)) failed"
  exit 1
fi
echo "stress/run.sh: $expected tests, $planned results (test x JVM configuration), $samples samples in ${elapsed}s: every outcome ACCEPTABLE"
echo "jcstress: $expected passed, 0 failed"
