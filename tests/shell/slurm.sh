#!/bin/sh
# A real distributed engine: start a one-node Slurm cluster on loopback
# (munged, slurmctld and slurmd with their configuration, keys, sockets
# and state in a temporary directory), submit examples/ci/slurm-array.sbatch
# as a job array of 3 shards, wait for it, and check that the merged shard
# directories give the statuses of an unsharded run of the same plan;
# then the same array cut by time with --history.
#
# Skips (77) where Debian's slurm-wlm and munge are not installed or
# when not root (slurmd runs jobs as their user).  Everything it starts is
# stopped by the pids the daemons recorded, also on failure; nothing
# listens beyond 127.0.0.1.  Takes about 10 s, most of it Slurm's own
# start, scheduling and stop.
set -eu

PATH=$PATH:/usr/sbin:/sbin
for cmd in munged slurmctld slurmd sbatch squeue scancel sinfo; do
	if ! command -v "$cmd" > /dev/null 2>&1; then
		echo "skip: $cmd not found (apt-get install slurm-wlm munge)"
		exit 77
	fi
done
if [ "$(id -u)" -ne 0 ]; then
	echo "skip: slurmd must run as root"
	exit 77
fi
. "$top_srcdir/tests/shell/lib_shards.sh"

# Our own directory, readable by the daemons (munged checks the modes).
tmp=$(mktemp -d /tmp/prun-slurm.XXXXXX)
chmod 0755 "$tmp"
export SLURM_CONF="$tmp/slurm.conf"

# Print a message and fail the test.
fail() {
	echo "FAIL: $*" >&2
	for log in "$tmp"/*.log; do
		[ -f "$log" ] || continue
		echo "--- $log" >&2
		tail -n 20 "$log" >&2
	done
	exit 1
}

# Stop the daemons whose pid files are given, and wait for them to exit
# (SIGKILL after 10 s).  A daemon that was just started may not have
# written its pid file yet: wait for it a little.
stop_daemons() {
	pids=
	for file; do
		i=0
		while [ ! -s "$file" ] && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		[ -s "$file" ] || continue
		pid=$(cat "$file")
		case $pid in *[!0-9]* | '') continue ;; esac
		kill -TERM "$pid" 2> /dev/null && pids="$pids $pid"
	done
	i=0
	for pid in $pids; do
		while kill -0 "$pid" 2> /dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$pid" 2> /dev/null || true
	done
}

# Cancel our jobs, then stop the daemons; runs on any exit.
cleanup() {
	set +e
	if [ -n "$started" ]; then
		scancel --quiet --user=root 2> /dev/null
		i=0
		while [ -n "$(squeue -h -o %i 2> /dev/null)" ] && [ $i -lt 50 ]
		do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	case $started in
	*slurm*) stop_daemons $started ;;
	esac
	case $started_munge in
	?*) stop_daemons "$started_munge" ;;
	esac
	rm -rf "$tmp" "$T"
}
started=
started_munge=
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# A TCP port nobody listens on (from /proc/net/tcp{,6}), above $1.
free_port() {
	port=$1
	while :; do
		hex=$(printf '%04X' "$port")
		if ! cat /proc/net/tcp /proc/net/tcp6 2> /dev/null |
		    awk '{ print $2 }' | grep -qi ":$hex\$"; then
			echo "$port"
			return
		fi
		port=$((port + 1))
	done
}
base=$((20000 + $$ % 20000))
ctld_port=$(free_port "$base")
slurmd_port=$(free_port $((ctld_port + 1)))

# munge: a key of its own, socket, pid and log in our directory.
dd if=/dev/urandom of="$tmp/munge.key" bs=1024 count=1 2> /dev/null
chmod 0400 "$tmp/munge.key"
started_munge="$tmp/munged.pid"
munged --key-file="$tmp/munge.key" --socket="$tmp/munge.socket" \
    --pid-file="$tmp/munged.pid" --log-file="$tmp/munged.log" \
    --seed-file="$tmp/munged.seed" || fail "munged did not start"

mkdir -p "$tmp/state" "$tmp/spool"
node=$(slurmd -C | sed -n 's/^NodeName=[^ ]* //p')
[ -n "$node" ] || fail "slurmd -C printed no node"
cat > "$SLURM_CONF" <<CONF
ClusterName=prun-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=prun Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF

started="$tmp/slurmctld.pid"
slurmctld -i || fail "slurmctld did not start"
started="$started $tmp/slurmd.pid"
slurmd -N localhost || fail "slurmd did not start"
i=0
until [ "$(sinfo -h -n localhost -o %t 2> /dev/null)" = idle ]; do
	[ $i -lt 300 ] || fail "the node did not become idle"
	sleep 0.1
	i=$((i + 1))
done

# Nothing of ours listens beyond loopback (127.0.0.1 is 0100007F here).
for port in "$ctld_port" "$slurmd_port"; do
	hex=$(printf '%04X' "$port")
	cat /proc/net/tcp /proc/net/tcp6 | awk '$4 == "0A" { print $2 }' |
	    grep -i ":$hex\$" > "$tmp/listen" || true
	grep -q . "$tmp/listen" || fail "nothing listens on port $port"
	grep -qv '^0100007F:' "$tmp/listen" &&
		fail "port $port listens beyond loopback: $(cat "$tmp/listen")"
done

# Wait for job (an array) $1 to leave the queue, 60 s at most.
wait_job() {
	i=0
	while [ -n "$(squeue -h -j "$1" -o %i 2> /dev/null)" ]; do
		[ $i -lt 600 ] || fail "job array $1 did not finish in 60 s"
		sleep 0.1
		i=$((i + 1))
	done
}

# Submit the suite as job array $1 (sbatch --array=$1): each task runs
# prun run --shard auto into $tmp/$2-ID and logs to $tmp/$2-ID.log.
submit_array() {
	id=$(cd "$tmp" && sbatch --parsable --array="$1" \
	    --output="$tmp/$2-%a.log" --wrap "exec '$PRUN' run --shard auto \
	    --fsync never --timeout 60 --progress lines \
	    -o '$tmp/$2-'\$SLURM_ARRAY_TASK_ID '$tmp/suite.list'") ||
		fail "sbatch --array=$1 failed"
	id=${id%%;*}
	echo "submitted job array $id (--array=$1)"
	wait_job "$id"
}

# The suite, run once without Slurm for reference.
write_suite "$tmp/suite.list"
"$PRUN" run -q --fsync never --timeout 60 -o "$tmp/full" "$tmp/suite.list" ||
	true

# The example job array: three shards, each in its own directory.
jobid=$(cd "$tmp" && PRUN=$PRUN TESTS="$tmp/suite.list" \
    RESULTS="$tmp/slurm" PRUN_OPTIONS="--fsync never --timeout 60" \
    sbatch --parsable "$top_srcdir/examples/ci/slurm-array.sbatch") ||
	fail "sbatch failed"
jobid=${jobid%%;*}
echo "submitted job array $jobid"
wait_job "$jobid"

for k in 0 1 2; do
	[ -f "$tmp/slurm-$k/metadata.json" ] ||
		fail "array task $k left no results: $(cat "$tmp/prun-shard-$k.log")"
done
python3 -c '
import json, sys
for k in range(3):
    md = json.load(open("%s-%d/metadata.json" % (sys.argv[1], k)))
    assert md["shard"] == {"index": k + 1, "total": 3, "from": "slurm"}, k
    assert md["options"]["timeout"] == 60, "PRUN_OPTIONS not passed"
' "$tmp/slurm" || fail "array tasks 0-2 are not shards 1/3-3/3"
statuses "$tmp/full" > "$tmp/full.txt"
statuses "$tmp/slurm-0" "$tmp/slurm-1" "$tmp/slurm-2" > "$tmp/slurm.txt"
diff "$tmp/full.txt" "$tmp/slurm.txt" ||
	fail "the merged job array differs from the unsharded run"
"$PRUN" summary "$tmp/slurm-0" "$tmp/slurm-1" "$tmp/slurm-2" || true
echo "ok: job array $jobid, 3 shards merged, $(wc -l < "$tmp/full.txt") tests"

# --array=1-7:2: task ids 1 3 5 7 are shards 1 to 4 of 4 by their place
# in the array, not by their id.
submit_array 1-7:2 step
python3 -c '
import json, sys
for k, id in enumerate([1, 3, 5, 7]):
    md = json.load(open("%s-%d/metadata.json" % (sys.argv[1], id)))
    assert md["shard"] == {"index": k + 1, "total": 4, "from": "slurm"}, \
        (id, md["shard"])
' "$tmp/step" || fail "array tasks 1,3,5,7 of --array=1-7:2 are not shards 1/4-4/4"
statuses "$tmp/step-1" "$tmp/step-3" "$tmp/step-5" "$tmp/step-7" \
    > "$tmp/step.txt"
diff "$tmp/full.txt" "$tmp/step.txt" ||
	fail "the merged --array=1-7:2 differs from the unsharded run"
echo "ok: --array=1-7:2, tasks 1 3 5 7 are shards 1-4 of 4"

# --array=0,4,9: no task's place can be told from its variables; every
# task is refused (exit 2, nothing run) with a message to give --shard K/N.
submit_array 0,4,9 list
for id in 0 4 9; do
	[ -f "$tmp/list-$id.log" ] || fail "array task $id of --array=0,4,9 left no log"
	[ ! -e "$tmp/list-$id/metadata.json" ] ||
		fail "array task $id of --array=0,4,9 ran as a shard"
	grep -q 'give --shard K/N' "$tmp/list-$id.log" ||
		fail "array task $id of --array=0,4,9: $(cat "$tmp/list-$id.log")"
done
sed 's/^/task 4: /' "$tmp/list-4.log"
echo "ok: --array=0,4,9 refused"
# The same array cut by time (--history: the reference run's durations):
# every task computes the same cut, and the shards merge and check.
jobid=$(cd "$tmp" && PRUN=$PRUN TESTS="$tmp/suite.list" \
    RESULTS="$tmp/timed" \
    PRUN_OPTIONS="--fsync never --timeout 60 --history $tmp/full" \
    sbatch --parsable "$top_srcdir/examples/ci/slurm-array.sbatch") ||
	fail "sbatch --history failed"
jobid=${jobid%%;*}
i=0
while [ -n "$(squeue -h -j "$jobid" -o %i 2> /dev/null)" ]; do
	[ $i -lt 600 ] || fail "job array $jobid did not finish in 60 s"
	sleep 0.1
	i=$((i + 1))
done
python3 -c '
import json, sys
mds = [json.load(open("%s-%d/metadata.json" % (sys.argv[1], k)))
       for k in range(3)]
for k, md in enumerate(mds):
    sh = md["shard"]
    assert (sh["index"], sh["total"], sh["cut"]) == (k + 1, 3, "time"), sh
    assert sh["history"] == mds[0]["shard"]["history"], "histories differ"
' "$tmp/timed" || fail "the array tasks are not shards cut by time"
statuses "$tmp/timed-0" "$tmp/timed-1" "$tmp/timed-2" > "$tmp/timed.txt"
diff "$tmp/full.txt" "$tmp/timed.txt" ||
	fail "the merged job array cut by time differs from the unsharded run"
"$PRUN" summary "$tmp/timed-0" "$tmp/timed-1" "$tmp/timed-2" > /dev/null ||
	[ $? -eq 1 ] || fail "summary of the shards cut by time failed"
echo "ok: job array $jobid cut by time, 3 shards merged"
