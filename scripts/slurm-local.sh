#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the cluster tests and for trying
# `tengen run slurm` by hand: munged, slurmctld and slurmd, without systemd.
#
#   bash scripts/slurm-local.sh start   # writes /etc/slurm/slurm.conf, starts the daemons
#   bash scripts/slurm-local.sh stop    # stops the daemons this script started
#   bash scripts/slurm-local.sh status
#
# Needs root (the daemons run as root and munge, as a real cluster's do) and the packages
# slurm-wlm and munge (scripts/install-deps.sh installs them). State, logs and pid files go
# under $TENGEN_SLURM_DIR (default /var/tmp/tengen-slurm).
set -euo pipefail

state="${TENGEN_SLURM_DIR:-/var/tmp/tengen-slurm}"
conf=/etc/slurm/slurm.conf

die() { echo "slurm-local: $*" >&2; exit 1; }

# Stops the daemon whose pid file is given, if this script started it and it still runs.
stop_daemon() {
    local pidfile=$1
    [ -f "$pidfile" ] || return 0
    local pid name
    pid=$(cat "$pidfile")
    name=$(basename "$pidfile" .pid)
    # Only the daemon the file names: a stale pid file may name a process that has since
    # taken the number.
    if kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
        kill "$pid" 2>/dev/null || true
        # PID 1 may reap late: a stopped daemon can stay a zombie for a second or two.
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ] && break
            sleep 0.1
        done
    fi
    rm -f "$pidfile"
}

stop() {
    stop_daemon "$state/slurmd.pid"
    stop_daemon "$state/slurmctld.pid"
    stop_daemon "$state/munged.pid"
}

write_conf() {
    local host node
    host=$(hostname -s)
    # The node line exactly as slurmd detects it: a RealMemory above what it finds leaves
    # the node INVAL/DRAIN with "Low RealMemory".
    node=$(slurmd -C | head -n 1)
    mkdir -p /etc/slurm "$state/spool/ctld" "$state/spool/d" "$state/log"
    # A configuration this script did not write is kept aside, once, not overwritten.
    if [ -f "$conf" ] && ! head -n 1 "$conf" | grep -q 'tengen scripts/slurm-local.sh' && [ ! -f "$conf.before-tengen" ]; then
        cp "$conf" "$conf.before-tengen"
        echo "slurm-local: kept the existing $conf as $conf.before-tengen" >&2
    fi
    chmod 0755 "$state/spool/d"
    cat > "$conf.tmp" <<EOF
# Written by tengen scripts/slurm-local.sh: a single-node cluster on this machine.
ClusterName=tengen
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$state/spool/ctld
SlurmdSpoolDir=$state/spool/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$state/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=3600
SchedulerType=sched/backfill
MpiDefault=none
${node} NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=${node%% *} Default=YES MaxTime=INFINITE State=UP
EOF
    # The node name is the first word of slurmd -C's line ("NodeName=vm").
    sed -i "s/^PartitionName=debug Nodes=NodeName=/PartitionName=debug Nodes=/" "$conf.tmp"
    mv "$conf.tmp" "$conf"
}

start_munge() {
    if [ ! -s /etc/munge/munge.key ]; then
        mungekey --create --keyfile /etc/munge/munge.key
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    if ! runuser -u munge -- munge -n >/dev/null 2>&1 </dev/null; then
        runuser -u munge -- munged --pid-file=/run/munge/munged.pid </dev/null
        cp /run/munge/munged.pid "$state/munged.pid"
    fi
    for _ in $(seq 50); do
        munge -n </dev/null | unmunge >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    die "munged did not start (see /var/log/munge/munged.log)"
}

start() {
    [ "$(id -u)" -eq 0 ] || die "needs root"
    command -v slurmctld >/dev/null || die "slurm-wlm is not installed: run scripts/install-deps.sh"
    stop
    mkdir -p "$state"
    write_conf
    start_munge
    # -c: clean state, so that a node drained under an earlier configuration comes back.
    setsid slurmctld -c -f "$conf" </dev/null >>"$state/log/slurmctld.out" 2>&1
    setsid slurmd -f "$conf" </dev/null >>"$state/log/slurmd.out" 2>&1
    for _ in $(seq 100); do
        if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
            echo "slurm-local: up ($(sinfo -h -o '%N %c CPUs %T'))"
            return 0
        fi
        sleep 0.2
    done
    sinfo -N -l >&2 || true
    tail -n 20 "$state/log/slurmctld.log" "$state/log/slurmd.log" >&2 || true
    die "the node did not become idle"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) sinfo -N -l ;;
    *) die "usage: $0 start|stop|status" ;;
esac
