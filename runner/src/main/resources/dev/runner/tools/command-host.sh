# The command host of one runner session (dev.runner.tools.CommandHost documents the protocol).
# Started as `bash -c 'eval "$(<"$1/command-host.sh")"' bash DIR SCOPE BASH`; DIR is the session's
# folder and SCOPE says where the host runs: `ns` in a PID namespace of its own (unshare or
# bubblewrap), which holds nothing but the host and what it started; `session` in a session of its
# own only. BASH is the bash that commands see in $BASH (the host runs a copy of it, see below).
#
# Each command runs in a worker: a subshell forked *before* its request arrives, blocked reading
# stdin. On `run ID` it reads DIR/ID.sh (working directory, NUL, script), sends its output to
# DIR/ID.out and evals the script, so a call costs no fork on its path. A worker whose script
# ended says so on DIR/wake, with a key only it knows when its status is final (see the USR1 trap);
# for all others the host, which keeps one idle worker ready and polls for the end of running ones
# (bash cannot wait for a child and a pipe at once), reports the status that `wait` gives.
#
# What keeps the jobs out of the control lines: the first line on stdin is a nonce from the runner,
# held in memory only, which starts every line the host and its idle workers send (the runner drops
# lines without it); jobs get none of the host's descriptors; the runner starts bash from an
# execute-only copy, which makes the host and its workers undumpable, so that a job cannot open
# their pipes through /proc/PID/fd either (root with its capabilities still can); the runner makes
# DIR/wake write-only once the host has opened it. Every line is read with a bound: a piece of a
# line that someone leaves there is dropped after a second instead of blocking the reader.
#
# Every host name starts with __rh_ so that a job can drop them all, and there are no functions:
# bash would name a function's source in the job's error messages.
__rh_dir=$1
__rh_scope=$2
BASH=$3
shift 3
# The options a plain `bash -c` would have (BASH_ENV and SHELLOPTS may set some); jobs get them back. Read from
# $SHELLOPTS, not captured from `set +o`: a command substitution forks, and a fork costs milliseconds of CPU here.
__rh_opts='set +o monitor'
for __rh_o in errexit nounset noglob xtrace verbose posix noclobber; do
  if [[ :$SHELLOPTS: == *:$__rh_o:* ]]; then __rh_opts+="; set -o $__rh_o"; fi
done
set +o errexit +o nounset +o noglob +o xtrace +o verbose +o posix +o noclobber
IFS= read -r -t 10 __rh_nonce
if [[ ! $__rh_nonce =~ ^[0-9a-f]{32}$ ]]; then echo "command host: no nonce on stdin" >&2; exit 3; fi
mkfifo -m 600 -- "$__rh_dir/wake" || exit 3
# Job control gives every job its own process group, so a timeout can kill a command with all it
# started; it also makes bash print a notice per finished job, hence stderr goes to /dev/null.
set -m
# fd 9 is the runner's pipe and fd 8 the host's own, DIR/wake: workers tell the host on it that they
# took a request. A pipe that nobody writes to is how bash sleeps without a fork (`read -t`); a
# worker makes one when it first has to wait for a killed group, since each `<(:)` forks.
exec 9>&1 8<>"$__rh_dir/wake" {__rh_in}<&0 </dev/null >/dev/null 2>/dev/null
__rh_nap=
__rh_host=$BASHPID
# the host's session (after the name in /proc/PID/stat: state ppid pgrp session); its own when started by setsid
IFS= read -r __rh_s <"/proc/$BASHPID/stat"
__rh_s=(${__rh_s##*) })
__rh_sid=${__rh_s[3]}
__rh_spare=
__rh_polls=0
__rh_taken=0
__rh_idle=
__rh_hinted=0
__rh_us=1000000
__rh_wait=1
# read -t takes fractions with the locale's decimal point, as EPOCHREALTIME shows them
__rh_point=${EPOCHREALTIME//[0-9]/}
declare -A __rh_running=() __rh_groups=()
# A worker's life: wait for a request (serving kills meanwhile), tell the host it is taken, set up
# the job. A worker knows every job's group: it was forked after all of them. The first `trap -p`
# of a process asks the kernel for every signal's disposition (about a hundred system calls,
# 0.5 ms here): done while the worker waits, the check after its job costs ~20 us.
#
# `kill PGID` (of a job) kills the job's group, the processes descended from it and, where the host
# has a PID namespace (or in its session otherwise), the orphans that left their group and session
# (setsid, set -m) since the job started and belong to no other job's group: whose they were is
# lost once their parent is gone, so an orphan of a job running beside this one can go with it.
# It answers once no such process runs any more, or after about two seconds; zombies count as gone.
__rh_worker='trap - USR1
trap -p EXIT >/dev/null
__rh_go=
__rh_bye=eof
while IFS= read -r -n 1 -u "$__rh_in" __rh_c; do
  [[ -n $__rh_c ]] || continue
  IFS= read -r -t 1 -u "$__rh_in" __rh_l || continue
  # a stray piece before a real request does not hide it
  [[ $__rh_c$__rh_l =~ (run [0-9]+|kill [0-9]+|close)$ ]] || continue
  __rh_l=${BASH_REMATCH[1]}
  unset -v BASH_REMATCH
  case $__rh_l in
  "run "*) __rh_go=1; break ;;
  close) __rh_bye=close; break ;;
  "kill "*)
    __rh_g=${__rh_l#kill }
    if [[ $__rh_g =~ ^[1-9][0-9]*$ && -n ${__rh_groups[$__rh_g]} ]]; then
      __rh_t0=
      if IFS= read -r __rh_s <"/proc/$__rh_g/stat" 2>/dev/null; then __rh_s=(${__rh_s##*) }); __rh_t0=${__rh_s[19]}; fi
      for (( __rh_n = 0; __rh_n < 200; __rh_n++ )); do
        declare -A __rh_par=() __rh_grp=() __rh_ses=() __rh_at=()
        for __rh_f in /proc/[0-9]*/stat; do
          IFS= read -r __rh_s <"$__rh_f" 2>/dev/null || continue
          __rh_p=${__rh_s%% *}
          __rh_s=(${__rh_s##*) })
          [[ ${__rh_s[0]} != Z ]] || continue
          __rh_par[$__rh_p]=${__rh_s[1]} __rh_grp[$__rh_p]=${__rh_s[2]} __rh_ses[$__rh_p]=${__rh_s[3]} __rh_at[$__rh_p]=${__rh_s[19]}
        done
        __rh_kill=()
        for __rh_p in "${!__rh_par[@]}"; do
          __rh_q=$__rh_p
          while :; do
            if [[ ${__rh_grp[$__rh_q]} == "$__rh_g" ]]; then __rh_kill+=("$__rh_p"); break; fi
            if [[ -n ${__rh_groups[${__rh_grp[$__rh_q]}]} ]]; then break; fi
            __rh_r=${__rh_par[$__rh_q]}
            if [[ -n ${__rh_par[$__rh_r]} && $__rh_r != 1 && $__rh_r != "$__rh_host" ]] &&
              [[ $__rh_scope == ns || ${__rh_ses[$__rh_r]} == "$__rh_sid" ]]; then
              __rh_q=$__rh_r
              continue
            fi
            # the top of a chain: an orphan, or the host, its init or this worker
            if [[ $__rh_q != 1 && $__rh_q != "$__rh_host" && $__rh_q != "$BASHPID" && -n $__rh_t0 ]] &&
              (( ${__rh_at[$__rh_q]} >= __rh_t0 )) &&
              [[ $__rh_scope == ns || ( $__rh_sid == "$__rh_host" && ${__rh_ses[$__rh_q]} == "$__rh_sid" ) ]]; then
              __rh_kill+=("$__rh_p")
            fi
            break
          done
        done
        unset -v __rh_par __rh_grp __rh_ses __rh_at
        (( ${#__rh_kill[@]} > 0 )) || break
        kill -KILL -- "${__rh_kill[@]}" 2>/dev/null
        [[ -n $__rh_nap ]] || exec {__rh_nap}<> <(:)
        read -r -t 0.005 -u "$__rh_nap"
      done
    fi
    printf "%s killed %s\n" "$__rh_nonce" "$__rh_g" >&9 ;;
  esac
done
if [[ -z $__rh_go ]]; then printf "%s %s\n" "$__rh_nonce" "$__rh_bye" >&8; exit 0; fi
__rh_id=${__rh_l#run }
printf "%s %s\n" "$__rh_nonce" "$BASHPID" >&8
printf "%s started %s %s\n" "$__rh_nonce" "$__rh_id" "$BASHPID" >&9
exec >>"$__rh_dir/$__rh_id.out" 2>&1 9>&- {__rh_in}<&- 8>&-
[[ -z $__rh_nap ]] || exec {__rh_nap}<&-
{ IFS= read -r -d "" __rh_cwd; IFS= read -r -d "" __rh_t; } <"$__rh_dir/$__rh_id.sh"
__rh_old=${OLDPWD-}
__rh_had_old=${OLDPWD+1}
cd -- "$__rh_cwd" || exit 1
if [[ -n $__rh_had_old ]]; then OLDPWD=$__rh_old; else unset -v OLDPWD; export OLDPWD; fi
eval "$__rh_opts"
BASH_SUBSHELL=0'
# Evaluated as the job's first line: drops the host's names and leaves $_ as `bash -c` would.
__rh_prefix='BASH_EXECUTION_STRING=$__rh_t; unset -v "${!__rh_@}"; : "$BASH"; '
# USR1 forks the next worker. The job's script is evaluated on the first line of this trap, so
# $LINENO and error messages count lines as `bash -c` does. After it no host name is left, hence
# literal code (with `builtin`, as the script may have defined functions of those names). A
# script that ends normally, with no EXIT trap left to run, reports `end PID STATUS KEY` on
# DIR/wake (a process exit costs about a millisecond here, which the host would otherwise wait
# for); KEY is random and new for every worker, written into its code and never into a variable,
# so no other command knows it and the host believes the status. Other workers say `end PID`,
# which only makes the host look: it reports what `wait` gives once the worker is gone.
printf -v __rh_wake %q "$__rh_dir/wake"
printf -v __rh_mark %q "$__rh_dir/"
__rh_code='[[ -n $__rh_spare ]] || { ( eval "$__rh_worker"; eval "$__rh_prefix$__rh_t"; __rh_s=$?; { builtin trap -p EXIT >'"$__rh_mark"'$BASHPID.trap && [[ ! -s '"$__rh_mark"'$BASHPID.trap ]] && builtin printf "end %s %s @KEY@\n" "$BASHPID" "$__rh_s" >'"$__rh_wake"' || builtin printf "end %s\n" "$BASHPID" >'"$__rh_wake"' || builtin :; } 2>/dev/null; builtin exit "$__rh_s" ) & __rh_spare=$! __rh_groups[$!]=1 __rh_keys[$!]=@KEY@; __rh_key=$SRANDOM$SRANDOM; trap "${__rh_code//"$__rh_ph"/$__rh_key}" USR1; }'
# the placeholder is never written out in the code, so that the replacement cannot reach its own text
__rh_ph=@KEY@
declare -A __rh_keys=()
__rh_key=$SRANDOM$SRANDOM
trap "${__rh_code//"$__rh_ph"/$__rh_key}" USR1
printf '%s ready %s\n' "$__rh_nonce" "$__rh_host" >&9
kill -USR1 "$__rh_host"
while :; do
  # A read -t that times out keeps what it read so far in the variable, but fails: so the timed
  # read takes a single byte, judged by the variable, and the rest of the line (writers send whole
  # lines at once) follows within a second, or the piece is dropped.
  __rh_l=
  IFS= read -r -t "$__rh_wait" -n 1 -u 8 __rh_l
  if [[ -n $__rh_l ]]; then
    if IFS= read -r -t 1 -u 8 __rh_rest; then __rh_l+=$__rh_rest; else __rh_l=; fi
    # what a stray piece before a real line hid: the last nonce, or the last hint
    if [[ $__rh_l == ?*"$__rh_nonce "* ]]; then __rh_l="$__rh_nonce ${__rh_l##*"$__rh_nonce "}"
    elif [[ $__rh_l == ?*"end "* ]]; then __rh_l="end ${__rh_l##*end }"; fi
    if [[ $__rh_l == "$__rh_nonce eof" || $__rh_l == "$__rh_nonce close" ]]; then break; fi
    if [[ $__rh_l == "$__rh_nonce $__rh_spare" && -n $__rh_spare ]]; then
      __rh_running[$__rh_spare]=1
      __rh_spare=
      __rh_polls=0
      __rh_hinted=0
      __rh_taken=${EPOCHREALTIME//[!0-9]/}
    elif [[ $__rh_l == "end "* ]]; then
      __rh_s=(${__rh_l#end })
      __rh_p=${__rh_s[0]}
      if [[ -z ${__rh_running[$__rh_p]} ]]; then
        :
      elif [[ ${#__rh_s[@]} == 3 && ${__rh_s[2]} == "${__rh_keys[$__rh_p]}" && ${__rh_s[1]} =~ ^[0-9]+$ ]]; then
        printf '%s done %s %s\n' "$__rh_nonce" "$__rh_p" "${__rh_s[1]}" >&9
        unset "__rh_running[$__rh_p]" "__rh_keys[$__rh_p]"
      else
        # look again soon: the worker is on its way out (or someone says so)
        __rh_hinted=20
      fi
    fi
  fi
  for __rh_p in "${!__rh_running[@]}"; do
    if kill -0 "$__rh_p" 2>/dev/null; then continue; fi
    wait "$__rh_p"
    printf '%s done %s %s\n' "$__rh_nonce" "$__rh_p" "$?" >&9
    unset "__rh_running[$__rh_p]" "__rh_keys[$__rh_p]"
    __rh_hinted=0
  done
  # The worker ended before we read that it was taken (a command can be that quick), or it was
  # killed while idle: report it either way (the runner ignores a group it does not know) and let
  # a new worker take its place.
  if [[ -n $__rh_spare ]] && ! kill -0 "$__rh_spare" 2>/dev/null; then
    wait "$__rh_spare"
    printf '%s done %s %s\n' "$__rh_nonce" "$__rh_spare" "$?" >&9
    __rh_spare=
  fi
  # The next worker is forked at once when more requests wait, else 2 ms after the last command
  # ended or 5 ms into a running one: a fork costs milliseconds of CPU, better left first to the
  # command and to the runner's next request (a faster model turn than that is rare).
  if (( ${#__rh_running[@]} > 0 )); then
    (( __rh_polls++ ))
  fi
  if [[ -z $__rh_spare ]]; then
    __rh_now=${EPOCHREALTIME//[!0-9]/}
    if (( ${#__rh_running[@]} == 0 )); then
      __rh_idle=${__rh_idle:-$__rh_now}
    fi
    if read -t 0 -u "$__rh_in" || (( ${#__rh_running[@]} > 0 && __rh_now - __rh_taken >= 5000 )) ||
      { [[ -n $__rh_idle ]] && (( __rh_now - __rh_idle >= 2000 )); }; then
      kill -USR1 "$__rh_host"
      __rh_idle=
    fi
  fi
  # A worker that says its script ended is looked at every 0.2 ms until it is gone (its exit takes
  # a moment), for at most 20 looks. Otherwise, while no worker waits, sleep until the next one is
  # due: a line on DIR/wake wakes the loop sooner. Then poll every 0.5 ms for the first 5 ms of a
  # command, back off to 25 ms; idle, wake up once a second to see that the worker lives.
  if (( __rh_hinted > 0 )); then
    (( __rh_hinted-- ))
    __rh_us=200
  elif [[ -z $__rh_spare && -n $__rh_idle ]]; then
    __rh_us=$(( __rh_idle + 2000 - __rh_now ))
  elif [[ -z $__rh_spare ]] && (( ${#__rh_running[@]} > 0 )); then
    __rh_us=$(( __rh_taken + 5000 - __rh_now ))
  elif [[ -z $__rh_spare ]] || (( ${#__rh_running[@]} > 0 && __rh_polls <= 10 )); then
    __rh_us=500
  elif (( ${#__rh_running[@]} > 0 )); then
    __rh_us=$(( __rh_us * 2 > 25000 ? 25000 : __rh_us * 2 ))
  else
    __rh_us=1000000
  fi
  if (( __rh_us < 100 )); then __rh_us=100; fi
  printf -v __rh_wait '%d%s%06d' $(( __rh_us / 1000000 )) "$__rh_point" $(( __rh_us % 1000000 ))
done
# The runner said `close` at the end of the run, or its input ended because the runner is gone.
# Every job's group goes. As the init of a PID namespace, the host leaves the rest to the kernel,
# which ends everything inside before the host's exit shows; under bubblewrap, whose init ends the
# namespace only after bubblewrap may have reported the host's exit, the host kills all but that
# init itself; outside a namespace, whatever is left in the host's own session goes (orphans that
# took a group of their own; never when the session is not the host's). Then the
# folder goes, unless the runner, which removes it itself, closed us (no fork of rm on its way
# out). Exit status 0 tells the runner that all went.
trap - USR1
# one kill for all groups: a redirected command per group cost ~1-4 ms for a 40-call run here
__rh_gs=()
for __rh_p in "${!__rh_groups[@]}"; do __rh_gs+=("-$__rh_p"); done
if (( ${#__rh_gs[@]} > 0 )); then kill -KILL -- "${__rh_gs[@]}" 2>/dev/null; fi
if [[ $__rh_scope == ns && $__rh_host != 1 ]] || [[ $__rh_scope != ns && $__rh_sid == "$__rh_host" ]]; then
  for (( __rh_n = 0; __rh_n < 50; __rh_n++ )); do
    __rh_live=
    for __rh_f in /proc/[0-9]*/stat; do
      IFS= read -r __rh_s <"$__rh_f" 2>/dev/null || continue
      __rh_p=${__rh_s%% *}
      __rh_s=(${__rh_s##*) })
      if [[ ( $__rh_scope == ns && $__rh_p != 1 || ${__rh_s[3]} == "$__rh_host" ) && $__rh_p != "$__rh_host" &&
        ${__rh_s[0]} != Z ]]; then
        kill -KILL "$__rh_p" 2>/dev/null
        __rh_live=1
      fi
    done
    [[ -n $__rh_live ]] || break
    # the host's own pipe: what workers still say there no longer matters
    read -r -t 0.002 -u 8
  done
fi
if [[ $__rh_l != "$__rh_nonce close" ]]; then rm -rf -- "$__rh_dir" 2>/dev/null; fi
exit 0
