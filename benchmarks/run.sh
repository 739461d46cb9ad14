#!/usr/bin/env bash
# The whole benchmark suite of issue 7, in one go (about 10 minutes on 2 cores): builds the project, runs the JMH
# benchmarks (Lock, contended Lock, Audit with -prof gc, Thread start+join with and without the agent, its sinks,
# caller attribution, the chain and a policy; the floor under a record; the agent's share of one start), JOL object
# sizes, CPython's _thread lock (if python3 is there) and the whole-process start-up script, then writes
# benchmarks/RESULTS.md: every row of the issue's table with its figure, the baseline measured in the same run, the
# ratio, the target and whether it was met; then every raw figure, the machine, the JDK and the date.
# Nothing here fails on a missed target: benchmarks measure, they report.
#
# usage: benchmarks/run.sh [--quick]
#   JAVA_HOME   the JDK to build and measure with (default /usr/lib/jvm/java-17-openjdk-amd64)
#   --quick     a smoke run of the script itself (tiny iterations, figures meaningless), written to
#               benchmarks/target/RESULTS-quick.md instead of benchmarks/RESULTS.md
# Needs: Maven, GNU time (/usr/bin/time, Debian package "time"), and jq or python3 to read JMH's JSON.
# Optional: python3 (the CPython row), hyperfine (a second opinion on start-up wall time).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
START_SECONDS=$SECONDS

QUICK=false
case "${1:-}" in
  --quick) QUICK=true ;;
  "") ;;
  *) echo "usage: benchmarks/run.sh [--quick]" >&2; exit 2 ;;
esac

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
OUT=benchmarks/RESULTS.md
RESULTS=benchmarks/target/results
JMH_OPTS=()          # empty: each benchmark class's own @Warmup/@Measurement/@Fork
TS_ROUNDS=4          # interleaved rounds of the seven thread-start configurations (even: both orders alike)
STARTUP_RUNS=20      # whole-process runs of each configuration in startup.sh
IL_FORKS=3           # InterleavedStartJoin: JVMs per configuration, all alive together
IL_ROUNDS=30         # ... measured rounds, after IL_WARMUP rounds, of IL_STARTS start+joins per JVM
IL_WARMUP=6
IL_STARTS=300
CONTENDED_FORKS=2    # two threads on two shared cores: the noisiest benchmark gets a second fork
if $QUICK; then
  OUT=benchmarks/target/RESULTS-quick.md
  JMH_OPTS=(-wi 1 -i 1 -w 200ms -r 200ms -f 1)
  TS_ROUNDS=2; STARTUP_RUNS=3; CONTENDED_FORKS=1; IL_FORKS=1; IL_ROUNDS=3; IL_WARMUP=1; IL_STARTS=50
fi

have() { command -v "$1" >/dev/null 2>&1; }
step() { printf '== [%3ds] %s\n' $((SECONDS - START_SECONDS)) "$*"; }
die() { echo "benchmarks/run.sh: $*" >&2; exit 1; }

# ---- what the script needs, checked before minutes of work
[ -x "$JAVA" ] || die "no java at $JAVA; set JAVA_HOME to a JDK 17+"
have mvn || die "needs Maven (apt-get install maven)"
[ -x /usr/bin/time ] || die "needs GNU time for the start-up figures (apt-get install time)"
if have jq; then JSON_TOOL=jq; elif have python3; then JSON_TOOL=python3
else die "needs jq or python3 to read JMH's JSON results (apt-get install jq)"; fi
JAVA_MAJOR=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')

# ---- the measurements
step "build: mvn -q -B -DskipTests package (JAVA_HOME=$JAVA_HOME)"
mvn -q -B -ntp -Dstyle.color=never -DskipTests package
JAR=benchmarks/target/benchmarks.jar
AGENT=$ROOT/agent/target/pythread-agent.jar
[ -f "$JAR" ] && [ -f "$AGENT" ] || die "the build did not produce $JAR and $AGENT"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

step "JOL: object sizes"
JOL_FLAGS=(-Djdk.attach.allowAttachSelf=true) # JOL sizes objects through Instrumentation, quietly
[ "$JAVA_MAJOR" -ge 21 ] && JOL_FLAGS+=(-XX:+EnableDynamicAgentLoading)        # JEP 451's warning
[ "$JAVA_MAJOR" -ge 23 ] && JOL_FLAGS+=(--sun-misc-unsafe-memory-access=allow) # JEP 471's warning
"$JAVA" "${JOL_FLAGS[@]}" -cp "$JAR" dev.pythread.bench.ObjectSizes > "$RESULTS/sizes.txt" 2> "$RESULTS/sizes.err"

if have python3; then
  step "CPython: python3 -m timeit on _thread.allocate_lock()"
  PY_VERSION=$(python3 -c 'import platform; print(platform.python_implementation(), platform.python_version())')
  TIMEIT_OPTS=(); $QUICK && TIMEIT_OPTS=(-n 100000 -r 1)
  python3 -m timeit "${TIMEIT_OPTS[@]}" -s "import _thread; l=_thread.allocate_lock()" "l.acquire(); l.release()" \
    > "$RESULTS/cpython-timeit.txt"
  python3 -c "import sys, _thread; print(sys.getsizeof(_thread.allocate_lock()))" > "$RESULTS/cpython-sizeof.txt"
else
  echo "   python3 not found: the CPython row will say so"
fi

jmh() { # jmh NAME ARGS...: one JMH invocation, its JSON in $RESULTS/NAME.json, its log in $RESULTS/NAME.log
  local name=$1; shift
  "$JAVA" -jar "$JAR" "${JMH_OPTS[@]}" "$@" -rf json -rff "$RESULTS/$name.json" > "$RESULTS/$name.log" 2>&1 \
    || { tail -20 "$RESULTS/$name.log" >&2; die "JMH run $name failed; see $RESULTS/$name.log"; }
}

step "JMH: LockBenchmark, uncontended (9 benchmarks, ~80 s)"
jmh lock '\.LockBenchmark\.'
step "JMH: ContendedLockBenchmark, 2 threads ($CONTENDED_FORKS fork(s) of 4 benchmarks)"
if $QUICK; then jmh contended '\.ContendedLockBenchmark\.'; else jmh contended '\.ContendedLockBenchmark\.' -f "$CONTENDED_FORKS"; fi
step "JMH: AuditBenchmark with -prof gc (6 benchmarks, ~55 s)"
jmh audit '\.AuditBenchmark\.' -prof gc

step "JMH: ThreadStartBenchmark and RecordFloorBenchmark, $TS_ROUNDS interleaved rounds of seven configurations (~60 s each)"
JSONL_DIR=$(mktemp -d)
trap 'rm -rf "$JSONL_DIR"' EXIT
JSONL="$JSONL_DIR/threads.jsonl"
# A 10-rule policy in the shape of a plugin host's, none of whose deny rules matches this code: each start is
# decided on the whole stack, every frame checked, and allowed.
POLICY="$JSONL_DIR/ten-rules.policy"
cat > "$POLICY" <<'RULES'
mode enforce
default allow
deny  from jar **/plugins/**
deny  from jar **/scripts/*.jar
deny  from package com.example.untrusted
deny  from package org.example.plugin
deny  from module com.example.sandbox
allow from package org.eclipse.jetty
allow from package org.apache.catalina
allow from package io.netty
allow from module java.sql
allow from package dev.pythread.bench
RULES
TS_CONFIGURATIONS="plain agent jsonl nocaller chain policy floor"
ts() { # ts CONFIGURATION ROUND
  case $1 in
    plain) jmh "ts-plain-$2" '\.ThreadStartBenchmark\.' ;;
    agent) jmh "ts-agent-$2" '\.ThreadStartBenchmark\.' -jvmArgsAppend "-javaagent:$AGENT" ;;
    jsonl) jmh "ts-jsonl-$2" '\.ThreadStartBenchmark\.' -jvmArgsAppend "-javaagent:$AGENT=audit=jsonl:$JSONL"
      [ -s "$JSONL" ] || die "the agent wrote no audit records to $JSONL"
      JSONL_RECORDS=$(wc -l < "$JSONL"); rm -f "$JSONL" ;;
    nocaller) jmh "ts-nocaller-$2" '\.ThreadStartBenchmark\.' \
      -jvmArgsAppend "-javaagent:$AGENT=audit=jsonl:$JSONL,caller=off"; rm -f "$JSONL" ;;
    chain) jmh "ts-chain-$2" '\.ThreadStartBenchmark\.' -jvmArgsAppend "-javaagent:$AGENT=audit=jsonl:$JSONL,chain=sha256"
      "$JAVA" -jar "$AGENT" verify "$JSONL" > "$RESULTS/chain-verify-$2.txt" \
        || die "the chained log of round $2 does not verify: $(cat "$RESULTS/chain-verify-$2.txt")"
      rm -f "$JSONL" ;;
    policy) jmh "ts-policy-$2" '\.ThreadStartBenchmark\.' -jvmArgsAppend "-javaagent:$AGENT=policy=$POLICY" ;;
    floor) jmh "ts-floor-$2" '\.RecordFloorBenchmark\.' ;; # no agent: the system work under a record, inline
  esac
}
for round in $(seq "$TS_ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order=$TS_CONFIGURATIONS; else order=$(echo $TS_CONFIGURATIONS | tr ' ' '\n' | tac | tr '\n' ' '); fi
  for configuration in $order; do ts "$configuration" "$round"; done
  echo "   round $round done ($order)"
done
step "Interleaved JVMs: InterleavedStartJoin, $IL_FORKS JVMs per configuration alive together, one running at a time, $IL_ROUNDS rounds (~90 s)"
IL_CONFIGURATIONS="plain agent noinventory jsonl nocaller chain policy floor-stat floor-walk floor-hash"
il_args=()
for fork in $(seq "$IL_FORKS"); do
  for configuration in $IL_CONFIGURATIONS; do
    case $configuration in
      plain) il_args+=(plain "") ;;
      agent) il_args+=(agent "-javaagent:$AGENT") ;;
      noinventory) il_args+=(noinventory "-javaagent:$AGENT=inventory=off") ;;
      jsonl) il_args+=(jsonl "-javaagent:$AGENT=audit=jsonl:$JSONL_DIR/il-jsonl-$fork.jsonl") ;;
      nocaller) il_args+=(nocaller "-javaagent:$AGENT=audit=jsonl:$JSONL_DIR/il-nocaller-$fork.jsonl,caller=off") ;;
      chain) il_args+=(chain "-javaagent:$AGENT=audit=jsonl:$JSONL_DIR/il-chain-$fork.jsonl,chain=sha256") ;;
      policy) il_args+=(policy "-javaagent:$AGENT=policy=$POLICY") ;;
      floor-stat) il_args+=(floor-stat floor:STAT_WRITE) ;;
      floor-walk) il_args+=(floor-walk floor:WALK_STAT_WRITE) ;;
      floor-hash) il_args+=(floor-hash floor:HASH_WALK_STAT_WRITE) ;;
    esac
  done
done
"$JAVA" -cp "$JAR" dev.pythread.bench.InterleavedStartJoin "$JAVA" "$JAR" "$IL_ROUNDS" "$IL_STARTS" "$IL_WARMUP" \
  "$RESULTS/interleaved.tsv" "${il_args[@]}"
[ -s "$JSONL_DIR/il-jsonl-1.jsonl" ] || die "the interleaved jsonl JVM wrote no audit records"
"$JAVA" -jar "$AGENT" verify "$JSONL_DIR/il-chain-1.jsonl" > "$RESULTS/il-chain-verify.txt" \
  || die "the interleaved chained log does not verify: $(cat "$RESULTS/il-chain-verify.txt")"
rm -f "$JSONL_DIR"/il-*.jsonl

step "JMH: StartCheckBenchmark, the agent's share of one start on a 40-frame stack: policy, record, caller (~40 s)"
jmh check-policy '\.StartCheckBenchmark\.' -jvmArgsAppend "-javaagent:$AGENT=policy=$POLICY"
jmh check-jsonl '\.StartCheckBenchmark\.' -jvmArgsAppend "-javaagent:$AGENT=audit=jsonl:$JSONL"; rm -f "$JSONL"
jmh check-nocaller '\.StartCheckBenchmark\.' -jvmArgsAppend "-javaagent:$AGENT=audit=jsonl:$JSONL,caller=off"; rm -f "$JSONL"
jmh check-chain '\.StartCheckBenchmark\.' -jvmArgsAppend "-javaagent:$AGENT=audit=jsonl:$JSONL,chain=sha256"; rm -f "$JSONL"
step "JMH: one jsonl record alone: Audit.audit(event, arg) under the agent with audit=jsonl (~10 s)"
jmh record '\.AuditBenchmark\.audit1$' -tu us -jvmArgsAppend "-javaagent:$AGENT=audit=jsonl:$JSONL"
RECORD_LINES=$(wc -l < "$JSONL"); rm -f "$JSONL"

step "start-up: benchmarks/startup.sh, $STARTUP_RUNS interleaved runs each"
bash benchmarks/startup.sh "$JAVA_HOME" "$STARTUP_RUNS" > "$RESULTS/startup.txt"
HELLO=(-cp integration-tests/target/test-classes dev.pythread.it.apps.Hello)
if have hyperfine; then
  step "start-up: hyperfine, a second opinion on wall time"
  hyperfine -N --style none --warmup 3 --runs "$STARTUP_RUNS" --export-json "$RESULTS/hyperfine.json" \
    -n "no agent" "$JAVA ${HELLO[*]}" -n "agent" "$JAVA -javaagent:$AGENT ${HELLO[*]}" > "$RESULTS/hyperfine.txt" 2>&1
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- reading the results
metric() { # metric FILE BENCHMARK FIELD: FIELD is score, error or alloc (-prof gc's B/op); NaN if absent
  if [ "$JSON_TOOL" = jq ]; then
    jq -r --arg b "$2" --arg f "$3" '
      [.[] | select(.benchmark | endswith("." + $b))][0] as $r
      | if $r == null then "NaN"
        elif $f == "score" then $r.primaryMetric.score
        elif $f == "error" then $r.primaryMetric.scoreError
        else ($r.secondaryMetrics["gc.alloc.rate.norm"].score // "NaN") end' "$1"
  else
    python3 - "$@" <<'PY'
import json, sys
path, bench, field = sys.argv[1:4]
rows = [r for r in json.load(open(path)) if r["benchmark"].endswith("." + bench)]
if not rows: print("NaN")
elif field == "score": print(rows[0]["primaryMetric"]["score"])
elif field == "error": print(rows[0]["primaryMetric"]["scoreError"])
else: print(rows[0].get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score", "NaN"))
PY
  fi
}
calc() { awk "BEGIN { x = $1; printf \"%.${2:-2}f\", x }"; }         # calc EXPR [DECIMALS]
sgn() { awk "BEGIN { x = $1; printf \"%s%.${2:-3}f\", (x < 0 ? \"−\" : \"+\"), (x < 0 ? -x : x) }"; } # sgn EXPR [DECIMALS]
fmt() { case "$1" in NaN|nan|"") echo "n/a" ;; *) calc "$1" "${2:-2}" ;; esac; }
pm() { case "$2" in NaN|nan|"") fmt "$1" "${3:-2}" ;; *) echo "$(fmt "$1" "${3:-2}") ± $(fmt "$2" "${3:-2}")" ;; esac; }
verdict() { # verdict VALUE OP LIMIT: met or missed
  if awk "BEGIN { exit !($1 $2 $3) }"; then echo "met"; else echo "**missed**"; fi
}
noise() { # noise A ERR_A B ERR_B: a note when two figures' 99.9% intervals overlap
  case "$2$4" in *NaN*|*nan*) return ;; esac
  awk "BEGIN { d = $1 - $3; if (d < 0) d = -d; exit !(d <= $2 + $4) }" && echo " (intervals overlap: within noise)" || true
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

L=$RESULTS/lock.json; C=$RESULTS/contended.json; A=$RESULTS/audit.json
lock=$(metric "$L" lockAcquireRelease score);            lock_e=$(metric "$L" lockAcquireRelease error)
sem=$(metric "$L" semaphoreAcquireRelease score);        sem_e=$(metric "$L" semaphoreAcquireRelease error)
semu=$(metric "$L" semaphoreAcquireUninterruptiblyRelease score)
semu_e=$(metric "$L" semaphoreAcquireUninterruptiblyRelease error)
rl=$(metric "$L" reentrantLockLockUnlock score);         rl_e=$(metric "$L" reentrantLockLockUnlock error)
sync=$(metric "$L" synchronizedBlock score);             sync_e=$(metric "$L" synchronizedBlock error)
enter=$(metric "$L" lockEnterTryWithResources score);    enter_e=$(metric "$L" lockEnterTryWithResources error)
semtf=$(metric "$L" semaphoreTryFinally score);          semtf_e=$(metric "$L" semaphoreTryFinally error)
tryl=$(metric "$L" lockTryAcquireHeld score);            tryl_e=$(metric "$L" lockTryAcquireHeld error)
trys=$(metric "$L" semaphoreTryAcquireDrained score);    trys_e=$(metric "$L" semaphoreTryAcquireDrained error)
clock=$(metric "$C" lock score);                         clock_e=$(metric "$C" lock error)
csem=$(metric "$C" semaphore score);                     csem_e=$(metric "$C" semaphore error)
crl=$(metric "$C" reentrantLock score);                  crl_e=$(metric "$C" reentrantLock error)
csync=$(metric "$C" synchronizedBlock score);            csync_e=$(metric "$C" synchronizedBlock error)
empty=$(metric "$A" emptyStaticCall score);              empty_e=$(metric "$A" emptyStaticCall error)
audit_worst=0; audit_worst_name=; audit_alloc_worst=0; audit_rows=
for b in audit0 audit1 audit2 audit3 audit4Varargs; do
  s=$(metric "$A" $b score); e=$(metric "$A" $b error); a=$(metric "$A" $b alloc)
  if awk "BEGIN { exit !($s > $audit_worst) }"; then audit_worst=$s; audit_worst_name=$b; fi
  if awk "BEGIN { exit !($a > $audit_alloc_worst) }"; then audit_alloc_worst=$a; fi
  audit_rows+="| \`$b\` | $(pm "$s" "$e" 3) ns | $(sgn "$s - $empty") ns | $(fmt "$a" 3) B/op |"$'\n'
done
empty_alloc=$(metric "$A" emptyStaticCall alloc)

round_scores() { # round_scores PREFIX BENCHMARK: the benchmark's score in each round's $RESULTS/PREFIX-ROUND.json
  for f in "$RESULTS/$1"-*.json; do metric "$f" "$2" score; echo; done | grep -v '^$'; }
listed() { while read -r s; do printf '%s ' "$(fmt "$s" 1)"; done; } # the scores on stdin, on one line
ts_scores() { round_scores "ts-$1" startJoin; }
ts_plain=$(ts_scores plain | median); ts_agent=$(ts_scores agent | median); ts_jsonl=$(ts_scores jsonl | median)
ts_nocaller=$(ts_scores nocaller | median); ts_chain=$(ts_scores chain | median); ts_policy=$(ts_scores policy | median)
ratios() { # ratios SCORES NAME BASE: per round, NAME's figure over BASE's; SCORES is the function that lists them
  paste <("$1" "$2") <("$1" "$3") | awk '{ print $1 / $2 }'; }
ts_pairs() { ratios ts_scores "$1" "${2:-plain}"; } # ts_pairs CONF [BASE]
ts_agent_ratio=$(ts_pairs agent | median); ts_jsonl_ratio=$(ts_pairs jsonl | median)
ts_caller_ratio=$(ts_pairs jsonl nocaller | median); ts_policy_ratio=$(ts_pairs policy agent | median)
ts_chain_ratio=$(ts_pairs chain | median); ts_policy_plain_ratio=$(ts_pairs policy | median)
ts_range() { ts_pairs "$1" "${2:-plain}" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f–%.2f×", lo, hi }'; }
# The floor (RecordFloorBenchmark): FLOOR_BENCHMARK [BASE], BASE a ts configuration or another floor benchmark.
floor_scores() { round_scores ts-floor "$1"; }
floor_pairs() {
  case ${2:-plain} in
    plain) paste <(floor_scores "$1") <(ts_scores plain) ;;
    *) paste <(floor_scores "$1") <(floor_scores "$2") ;;
  esac | awk '{ print $1 / $2 }'
}
floor_ratio() { fmt "$(floor_pairs "$@" | median)" 3; }
floor_list() { floor_scores "$1" | listed; }
# InterleavedStartJoin's table: a header of configuration names (each IL_FORKS times), one line per round, ns.
il_round_means() { # il_round_means NAME: per round, the mean µs per start+join over NAME's JVMs
  awk -F'\t' -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) col[i] = 1; next }
    { sum = 0; n = 0; for (i in col) { sum += $i; n++ } print sum / n / 1000 }' "$RESULTS/interleaved.tsv"; }
il_pairs() { ratios il_round_means "$1" "${2:-plain}"; } # il_pairs NAME [BASE]
il_median() { il_round_means "$1" | median; }
il_ratio() { il_pairs "$@" | median; }
il_quartiles() { il_pairs "$@" | sort -g | awk '{ a[NR] = $1 } END { printf "%.2f–%.2f×", a[int((NR + 3) / 4)], a[int((3 * NR + 3) / 4)] }'; }
il_row() { # il_row LABEL NAME BASE BASE_LABEL TARGET [FLOOR]
  local ratio; ratio=$(il_ratio "$2" "$3")
  echo "| $1 | $(fmt "$(il_median "$2")" 1) µs | $4: $(fmt "$(il_median "$3")" 1) µs | $(fmt "$ratio" 3)× (median of $IL_ROUNDS paired rounds; middle half $(il_quartiles "$2" "$3"))${6:+; the floor: $(fmt "$(il_ratio "$6" "$3")" 3)×} | ≤ $5× | $(verdict "$ratio" '<=' "$5") |"
}
check() { metric "$RESULTS/check-$1.json" onStart "${2:-score}"; }
check_policy=$(check policy); check_policy_e=$(check policy error)
check_jsonl=$(check jsonl); check_jsonl_e=$(check jsonl error)
check_nocaller=$(check nocaller); check_nocaller_e=$(check nocaller error)
check_chain=$(check chain); check_chain_e=$(check chain error)
record=$(metric "$RESULTS/record.json" audit1 score); record_e=$(metric "$RESULTS/record.json" audit1 error)
ts_list() { ts_scores "$1" | listed; }
ts_ratios() { ts_pairs "$1" "${2:-plain}" | awk '{ printf "%.3f× ", $1 }'; }

size_of() { awk -v n="$1" -v f="$2" '$1 == "size" && $2 == n { print $f }' "$RESULTS/sizes.txt"; }
vm_line=$(grep '^vm ' "$RESULTS/sizes.txt")

if [ -s "$RESULTS/cpython-timeit.txt" ]; then
  # "2000000 loops, best of 5: 105 nsec per loop"
  cpy=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /sec$/ && $(i + 1) == "per") {
                 v = $(i - 1); u = $i
                 print v * (u == "nsec" ? 1 : u == "usec" ? 1e3 : u == "msec" ? 1e6 : 1e9) } }' "$RESULTS/cpython-timeit.txt")
  cpy_size=$(cat "$RESULTS/cpython-sizeof.txt")
fi

plain_ms=$(awk '/without agent:/ { print $3 }' "$RESULTS/startup.txt")
plain_kib=$(awk '/without agent:/ { print $5 }' "$RESULTS/startup.txt")
agent_ms=$(awk '/with agent:/ { print $3 }' "$RESULTS/startup.txt")
agent_kib=$(awk '/with agent:/ { print $5 }' "$RESULTS/startup.txt")
startup_ms=$((agent_ms - plain_ms))
startup_mib=$(calc "($agent_kib - $plain_kib) / 1024" 1)
if [ -s "$RESULTS/hyperfine.json" ]; then
  hf() { # hf NAME: median wall ms of a hyperfine command
    if [ "$JSON_TOOL" = jq ]; then jq -r --arg n "$1" '.results[] | select(.command == $n) | .median * 1000' "$RESULTS/hyperfine.json"
    else python3 -c 'import json,sys; print([r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"] if r["command"] == sys.argv[2]][0])' "$RESULTS/hyperfine.json" "$1"; fi
  }
  hf_plain=$(hf "no agent"); hf_agent=$(hf "agent")
  hf_note="; hyperfine, $STARTUP_RUNS runs, median wall: $(fmt "$hf_plain" 0) → $(fmt "$hf_agent" 0) ms = **$(sgn "$hf_agent - $hf_plain" 0) ms**"
else
  hf_note="; hyperfine not installed"
fi

# ---- RESULTS.md
DURATION=$((SECONDS - START_SECONDS))
step "writing $OUT"
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
busy=
if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l >= n / 2) }'; then
  busy=" **The machine was busy with other work** (see the load average): expect the contended and thread-start
  figures to move by tens of percent from run to run; the uncontended ones, within their error bars, much less."
fi
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
[ -n "$(git status --porcelain --untracked-files=no -- . ":(exclude)$OUT" 2>/dev/null)" ] \
  && commit+=" (with uncommitted changes)"

if [ -n "${cpy:-}" ]; then
  cpython_row="| the same vs CPython's \`_thread\` lock | $(fmt "$lock") ns | $PY_VERSION \`l.acquire(); l.release()\`: $(fmt "$cpy" 1) ns (timeit, best of 5) | $(fmt "$(calc "$cpy / $lock")" 1)× faster | ≥ 5× faster | $(verdict "$cpy / $lock" '>=' 5) |"
  cpython_size="; $PY_VERSION: \`sys.getsizeof\` $cpy_size B + the native lock"
else
  cpython_row="| the same vs CPython's \`_thread\` lock | $(fmt "$lock") ns | not measured: python3 not found | – | ≥ 5× faster | not measured |"
  cpython_size="; CPython 3.11: 56 B + the native lock (from the issue; python3 not found here)"
fi

{
cat <<EOF
# pythread benchmarks — results

Written by \`benchmarks/run.sh\`$($QUICK && echo ' **--quick: a smoke run, tiny iterations, the figures mean nothing**') on
$(date -u '+%Y-%m-%d %H:%M UTC'), in $((DURATION / 60)) min $((DURATION % 60)) s, from commit $commit. Every
ratio is against a baseline measured in the same run, on the same JDK. Nothing here is asserted by the build
(\`mvn verify\` runs no benchmark): timings on a shared machine are noisy, so read ratios, with their error bars.

- **Machine:** $(nproc) cores, $cpu, $mem RAM, Linux $(uname -r); load average $LOAD_BEFORE before the
  benchmarks, $LOAD_AFTER after (1, 5, 15 min).$busy
- **JDK:** \`JAVA_HOME=$JAVA_HOME\`: $("$JAVA" -version 2>&1 | tr '\n' ' ' | sed 's/  */ /g; s/ $//').
- **JMH** 1.37 (ns/op: average time, lower is better; ops/µs: throughput, higher is better; ± is JMH's 99.9%
  confidence half-width), **JOL** 0.17.

## Against the targets of issues 7, 9 and 11

| benchmark | pythread | baseline(s) in the same run | ratio | target | |
| --- | --- | --- | --- | --- | --- |
| \`Lock\` uncontended \`acquire()\`+\`release()\` | $(pm "$lock" "$lock_e") ns | \`Semaphore(1)\` acquire+release $(pm "$sem" "$sem_e") ns; \`ReentrantLock\` $(pm "$rl" "$rl_e") ns; \`synchronized\` $(pm "$sync" "$sync_e") ns | $(fmt "$(calc "$lock / $sem" 3)" 3)× \`Semaphore(1)\`$(noise "$lock" "$lock_e" "$sem" "$sem_e") | ≤ 1.0× \`Semaphore(1)\` | $(verdict "$lock / $sem" '<=' 1.0) |
$cpython_row
| \`try (var h = lock.enter())\` | $(pm "$enter" "$enter_e") ns | \`Semaphore(1)\` in try/finally $(pm "$semtf" "$semtf_e") ns | $(fmt "$(calc "$enter / $semtf" 3)" 3)×$(noise "$enter" "$enter_e" "$semtf" "$semtf_e") | ≤ 1.0× | $(verdict "$enter / $semtf" '<=' 1.0) |
| \`acquire(false)\` on a held lock | $(pm "$tryl" "$tryl_e" 3) ns | \`Semaphore.tryAcquire()\` on a drained semaphore $(pm "$trys" "$trys_e" 3) ns | $(fmt "$(calc "$tryl / $trys" 3)" 3)×$(noise "$tryl" "$tryl_e" "$trys" "$trys_e") | ≤ 1.0× | $(verdict "$tryl / $trys" '<=' 1.0) |
| contended: 2 threads hammering one lock (throughput) | $(pm "$clock" "$clock_e" 1) ops/µs | \`Semaphore(1)\` $(pm "$csem" "$csem_e" 1) ops/µs; \`ReentrantLock\` $(pm "$crl" "$crl_e" 1) ops/µs | $(fmt "$(calc "$clock / $csem" 3)" 3)× \`Semaphore(1)\`$(noise "$clock" "$clock_e" "$csem" "$csem_e"), $(fmt "$(calc "$clock / $crl" 3)" 3)× \`ReentrantLock\` | ≥ 1.0× \`Semaphore(1)\` | $(verdict "$clock / $csem" '>=' 1.0) |
| \`Audit.audit(...)\` with no hook | slowest overload (\`$audit_worst_name\`) $(fmt "$audit_worst" 3) ns, at most $(fmt "$audit_alloc_worst" 3) B/op | empty static call $(pm "$empty" "$empty_e" 3) ns | $(sgn "$audit_worst - $empty") ns | ≤ 2 ns, 0 B/op | $(awk "BEGIN { exit !($audit_worst <= 2 && $audit_alloc_worst < 1) }" && echo met || echo '**missed**') |
| \`Lock\` instance size (JOL) | $(size_of Lock 3) B ($(size_of Lock 5) object) | \`Semaphore(1)\` $(size_of 'Semaphore(1)' 3) B + its \`Sync\` = $(size_of 'Semaphore(1)' 4) B; \`ReentrantLock\` $(size_of ReentrantLock 3) B + \`Sync\` = $(size_of ReentrantLock 4) B$cpython_size | $(fmt "$(calc "$(size_of Lock 4) / $(size_of 'Semaphore(1)' 4)" 2)" 2)× \`Semaphore(1)\` | ≤ 24 B | $(verdict "$(size_of Lock 4)" '<=' 24) |
| thread start+join, agent without sink | $(fmt "$ts_agent" 1) µs | same loop, no agent: $(fmt "$ts_plain" 1) µs | $(fmt "$ts_agent_ratio" 3)× (median of $TS_ROUNDS paired rounds; range $(ts_range agent)) | ≤ 1.03× | $(verdict "$ts_agent_ratio" '<=' 1.03) |
| thread start+join, agent with \`audit=jsonl\` | $(fmt "$ts_jsonl" 1) µs | same loop, no agent: $(fmt "$ts_plain" 1) µs | $(fmt "$ts_jsonl_ratio" 3)× (median of $TS_ROUNDS paired rounds; range $(ts_range jsonl)); the floor under any such record: $(floor_ratio walkStatWrite)× (below) | ≤ 1.15× | $(verdict "$ts_jsonl_ratio" '<=' 1.15) |
| thread start+join, \`audit=jsonl\` with caller attribution (issue 11) | $(fmt "$ts_jsonl" 1) µs | the same with \`caller=off\`: $(fmt "$ts_nocaller" 1) µs | $(fmt "$ts_caller_ratio" 3)× (median of $TS_ROUNDS paired rounds; range $(ts_range jsonl nocaller)); the floor: $(floor_ratio walkStatWrite statWrite)× | ≤ 1.10× | $(verdict "$ts_caller_ratio" '<=' 1.10) |
| thread start+join, a 10-rule \`policy=\` (issue 11) | $(fmt "$ts_policy" 1) µs | the agent without a policy: $(fmt "$ts_agent" 1) µs | $(fmt "$ts_policy_ratio" 3)× (median of $TS_ROUNDS paired rounds; range $(ts_range policy agent)); $(fmt "$ts_policy_plain_ratio" 3)× no agent | ≤ 1.10× | $(verdict "$ts_policy_ratio" '<=' 1.10) |
| one policy decision on a 40-frame stack (issue 11) | $(pm "$check_policy" "$check_policy_e" 0) ns | – | – | report | – |
| thread start+join, \`audit=jsonl,chain=sha256\` (issue 9) | $(fmt "$ts_chain" 1) µs | same loop, no agent: $(fmt "$ts_plain" 1) µs | $(fmt "$ts_chain_ratio" 3)× (median of $TS_ROUNDS paired rounds; range $(ts_range chain)); the floor: $(floor_ratio hashWalkStatWrite)× | ≤ 1.25× | $(verdict "$ts_chain_ratio" '<=' 1.25) |
| JVM start-up, hello-world + one thread, with the agent | $agent_ms ms, $(calc "$agent_kib / 1024" 1) MiB peak RSS | same JVM without the agent: $plain_ms ms, $(calc "$plain_kib / 1024" 1) MiB | **$(sgn "$startup_ms" 0) ms, $(sgn "$startup_mib" 1) MiB** | ≤ +120 ms, ≤ +25 MiB | $(awk "BEGIN { exit !($startup_ms <= 120 && $startup_mib <= 25) }" && echo met || echo '**missed**') |

"Within noise" marks a ratio whose two 99.9% intervals overlap: the run cannot tell the two apart.

**The thread-start rows again, from interleaved JVMs** (\`InterleavedStartJoin\`): $IL_FORKS JVMs per
configuration, all alive together and only one running at a time; in each of $IL_ROUNDS rounds every JVM runs
$IL_STARTS start+joins in turn (forward, then backward), so a configuration and its baseline are measured seconds
apart, not minutes. Each round's ratio is of the configurations' means over their JVMs in that round. The floors are
\`RecordFloor\`'s steps (below) in JVMs of their own.

| benchmark | pythread | baseline in the same rounds | ratio | target | |
| --- | --- | --- | --- | --- | --- |
$(il_row "thread start+join, agent without sink" agent plain "no agent" 1.03)
$(il_row "thread start+join, the live-thread inventory (issue 20: \`PID threads\` never run)" agent noinventory "\`inventory=off\`" 1.02)
$(il_row "thread start+join, agent with \`audit=jsonl\`" jsonl plain "no agent" 1.15 floor-walk)
$(il_row "thread start+join, \`audit=jsonl\` with caller attribution (issue 11)" jsonl nocaller "\`caller=off\`" 1.10)
$(il_row "thread start+join, a 10-rule \`policy=\` (issue 11)" policy agent "the agent without a policy" 1.10)
$(il_row "thread start+join, \`audit=jsonl,chain=sha256\` (issue 9)" chain plain "no agent" 1.25 floor-hash)

The floors in the same rounds, against no agent: write + \`stat\` $(fmt "$(il_ratio floor-stat)" 3)×
(\`caller=off\`: $(fmt "$(il_ratio nocaller)" 3)×), + the walk $(fmt "$(il_ratio floor-walk)" 3)×, + two SHA-256
$(fmt "$(il_ratio floor-hash)" 3)×; the walk's own share, floor-walk against floor-stat: $(fmt "$(il_ratio floor-walk floor-stat)" 3)×.
The interleaved chained log verified: $(cat "$RESULTS/il-chain-verify.txt").

## Every figure

### \`LockBenchmark\` — uncontended, one thread (ns/op)

| benchmark | score |
| --- | --- |
| \`Lock.acquire()\` + \`release()\` | $(pm "$lock" "$lock_e") |
| \`Semaphore(1).acquire()\` + \`release()\` | $(pm "$sem" "$sem_e") |
| \`Semaphore(1).acquireUninterruptibly()\` + \`release()\` (uninterruptible, as \`Lock.acquire()\`) | $(pm "$semu" "$semu_e") |
| \`ReentrantLock.lock()\` + \`unlock()\` | $(pm "$rl" "$rl_e") |
| \`synchronized\` block | $(pm "$sync" "$sync_e") |
| \`try (var h = lock.enter()) {}\` | $(pm "$enter" "$enter_e") |
| \`Semaphore(1)\`: \`acquire(); try {} finally { release(); }\` | $(pm "$semtf" "$semtf_e") |
| \`Lock.acquire(false)\` on a held lock | $(pm "$tryl" "$tryl_e" 3) |
| \`Semaphore.tryAcquire()\` on a drained semaphore | $(pm "$trys" "$trys_e" 3) |

### \`ContendedLockBenchmark\` — two threads, one lock, empty critical section (ops/µs, both threads together)

| benchmark | score |
| --- | --- |
| \`Lock\` | $(pm "$clock" "$clock_e" 2) |
| \`Semaphore(1)\` | $(pm "$csem" "$csem_e" 2) |
| \`ReentrantLock\` | $(pm "$crl" "$crl_e" 2) |
| \`synchronized\` | $(pm "$csync" "$csync_e" 2) |

### \`AuditBenchmark\` — no hook installed, with \`-prof gc\`

| benchmark | ns/op | over the empty call | allocated (\`gc.alloc.rate.norm\`) |
| --- | --- | --- | --- |
| empty static call (baseline) | $(pm "$empty" "$empty_e" 3) ns | – | $(fmt "$empty_alloc" 3) B/op |
${audit_rows}
Anything under 1 B/op is no allocation: the smallest object is 16 bytes, and what remains is JMH's own
bookkeeping and allocation from before the JIT compiled the loop, averaged over the calls.

### \`ThreadStartBenchmark\` — \`new Thread(empty).start(); join()\` (µs/op)

$TS_ROUNDS rounds; in each, a fresh JMH fork per configuration (2 × 1 s warm-up, 3 × 1 s measured), in alternating
order (odd rounds: no agent, agent, jsonl, jsonl without caller, chained jsonl, policy, the floor below; even rounds:
backwards). The table's ratio is the median over the rounds
of each round's ratio to its own no-agent fork, which cancels the machine's drift from round to round; the
medians of the raw figures are shown for scale. The agent with \`audit=jsonl\` wrote ${JSONL_RECORDS:-?} records
in its last fork (one per start).

| configuration | median | rounds, in order | each round against its own no-agent fork |
| --- | --- | --- | --- |
| no agent | $(fmt "$ts_plain" 1) | $(ts_list plain)| – |
| \`-javaagent:agent/target/pythread-agent.jar\` | $(fmt "$ts_agent" 1) | $(ts_list agent)| $(ts_ratios agent)|
| \`-javaagent:agent/target/pythread-agent.jar=audit=jsonl:PATH\` | $(fmt "$ts_jsonl" 1) | $(ts_list jsonl)| $(ts_ratios jsonl)|
| \`…=audit=jsonl:PATH,caller=off\` | $(fmt "$ts_nocaller" 1) | $(ts_list nocaller)| $(ts_ratios nocaller)|
| \`…=audit=jsonl:PATH,chain=sha256\` | $(fmt "$ts_chain" 1) | $(ts_list chain)| $(ts_ratios chain)|
| \`…=policy=PATH\` (10 rules, no sink) | $(fmt "$ts_policy" 1) | $(ts_list policy)| $(ts_ratios policy)|

### \`RecordFloorBenchmark\` — the floor under a record (µs/op)

The same start+join with no agent, preceded by only the system work a record has to do before the thread may start,
inline, with the cheapest JDK calls and no formatting — a fixed line of a record's length. An implementation that keeps
these guarantees does all of this and more (it also formats the line, takes the sink's lock, raises the event); a
ratio here above a target shows that no such implementation can meet the target on this machine. A fresh fork in each
round, beside the configurations above.

| before \`start()\` | median | rounds, in order | against the round's no-agent fork | the agent doing it all (median ratio) |
| --- | --- | --- | --- | --- |
| one \`write()\` of the line (survives \`kill -9\`) | $(fmt "$(floor_scores write | median)" 1) | $(floor_list write)| $(floor_ratio write)× | – |
| + one \`stat\` of PATH against the open file (rotation, deletion) | $(fmt "$(floor_scores statWrite | median)" 1) | $(floor_list statWrite)| $(floor_ratio statWrite)× | \`caller=off\`: $(fmt "$(ts_pairs nocaller | median)" 3)× |
| + one \`StackWalker\` walk to the caller: class, method, file, line | $(fmt "$(floor_scores walkStatWrite | median)" 1) | $(floor_list walkStatWrite)| $(floor_ratio walkStatWrite)× | \`audit=jsonl\`: $(fmt "$ts_jsonl_ratio" 3)× |
| + two SHA-256 of the line (\`chain=sha256\`) | $(fmt "$(floor_scores hashWalkStatWrite | median)" 1) | $(floor_list hashWalkStatWrite)| $(floor_ratio hashWalkStatWrite)× | \`chain=sha256\`: $(fmt "$ts_chain_ratio" 3)× |

Each chained log verified (\`java -jar pythread-agent.jar verify\`): $(cat "$RESULTS"/chain-verify-*.txt | tr '\n' ';' | sed 's/;$//; s/;/; /g').

### \`StartCheckBenchmark\` — the agent's share of one start, without the thread (ns/op)

\`ThreadDispatch.onStart\` — the call the agent puts first in \`Thread.start\` — on a thread that is never started,
from 40 frames of application code, in a JVM with the agent and the options shown:

| agent options | ns per start | what it does |
| --- | --- | --- |
| \`policy=PATH\` (the 10 rules above) | $(pm "$check_policy" "$check_policy_e" 0) | walk all ~50 frames, one cached verdict per class; allowed |
| \`audit=jsonl:PATH\` | $(pm "$check_jsonl" "$check_jsonl_e" 0) | find the caller (the walk stops at the first application frame), format the record, one \`write()\` |
| \`audit=jsonl:PATH,caller=off\` | $(pm "$check_nocaller" "$check_nocaller_e" 0) | format the record, one \`write()\` |
| \`audit=jsonl:PATH,chain=sha256\` | $(pm "$check_chain" "$check_chain_e" 0) | as \`audit=jsonl\`, plus two SHA-256 of the line |

One jsonl record alone — \`Audit.audit(event, arg)\` in a JVM whose only hook is the agent's \`audit=jsonl\` sink
(format the JSON line, one \`write()\`): **$(pm "$record" "$record_e" 2) µs** per record ($RECORD_LINES records
written). Against the no-agent start+join above, that alone is $(calc "100 * $record / $ts_plain" 1) % of a thread start.

### Object sizes (JOL: \`$vm_line\`)

| object | the object alone | with what it owns | objects |
| --- | --- | --- | --- |
$(awk '$1 == "size" { printf "| `%s` | %d B | %d B | %d |\n", $2, $3, $4, $5 }' "$RESULTS/sizes.txt")

"What it owns" is the graph of objects reachable from it, except waiting \`Thread\`s and what only they reach.
A \`Lock\` owns nothing until it is first contended; then its waiter queue (a \`ConcurrentLinkedQueue\` and one
node per waiter, plus the queue's dummy node) stays with it.

### Start-up (\`benchmarks/startup.sh\`, $STARTUP_RUNS interleaved runs each, medians$hf_note)

\`\`\`text
$(cat "$RESULTS/startup.txt")
\`\`\`

## How to run

\`\`\`bash
benchmarks/run.sh                      # everything, this file; JAVA_HOME selects the JDK (default: JDK 17)
java -jar benchmarks/target/benchmarks.jar LockBenchmark -prof gc      # one class, by hand
java -jar benchmarks/target/benchmarks.jar ThreadStartBenchmark -jvmArgsAppend -javaagent:\$PWD/agent/target/pythread-agent.jar
\`\`\`

Raw JMH JSON, logs and the other outputs of this run: \`benchmarks/target/results/\` (not committed).
EOF
} > "$OUT"
step "done in $((DURATION / 60)) min $((DURATION % 60)) s: $OUT"
