# The command host of one runner session (dev.runner.tools.CommandHost documents the protocol).
# Started as `bash -c 'eval "$(<"$1/command-host.sh")"' bash DIR`; DIR is the session's folder.
#
# Each command runs in a worker: a subshell forked *before* its request arrives, blocked reading
# stdin. On `run ID` it reads DIR/ID.sh (working directory, NUL, script), sends its output to
# DIR/ID.out and evals the script, so a call costs no fork on its path. A script that ends
# normally, with no EXIT trap left to run, reports `done PGID STATUS` itself (a process exit costs
# milliseconds here); for all others the host, which keeps one idle worker ready and polls for the
# end of running ones (bash cannot wait for a child and a pipe at once), reports it. The runner
# takes the first report. The host runs in DIR, so a worker finds DIR again as /proc/$$/cwd.
#
# Every host name starts with __rh_ so that a job can drop them all, and there are no functions:
# bash would name a function's source in the job's error messages.
__rh_dir=$1
shift
# The options a plain `bash -c` would have (BASH_ENV and SHELLOPTS may set some); jobs get them back. Read from
# $SHELLOPTS, not captured from `set +o`: a command substitution forks, and a fork costs milliseconds of CPU here.
__rh_opts='set +o monitor'
for __rh_o in errexit nounset noglob xtrace verbose posix noclobber; do
  if [[ :$SHELLOPTS: == *:$__rh_o:* ]]; then __rh_opts+="; set -o $__rh_o"; fi
done
set +o errexit +o nounset +o noglob +o xtrace +o verbose +o posix +o noclobber
# Job control gives every job its own process group, so a timeout can kill a command with all it
# started; it also makes bash print a notice per finished job, hence stderr goes to /dev/null.
set -m
# fd 9 is the runner's pipe and fd 8 the host's own: workers tell the host on it that they took a
# request, and a script that reported its end reopens both through /proc/$$/fd. A pipe that nobody
# writes to is how bash sleeps without a fork (`read -t`); a worker makes one when it first has to
# wait for a killed group, since each `<(:)` forks.
exec 9>&1 8<> <(:) {__rh_in}<&0 </dev/null >/dev/null 2>/dev/null
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
__rh_us=1000000
__rh_wait=1
# read -t takes fractions with the locale's decimal point, as EPOCHREALTIME shows them
__rh_point=${EPOCHREALTIME//[0-9]/}
declare -A __rh_running=() __rh_groups=()
# A worker's life: wait for a request (serving kills meanwhile), tell the host it is taken, set up
# the job. `kill PGID` answers once no process of the group runs any more, or after a second;
# zombies count as gone, since outside the sandbox orphans wait for a parent we do not control.
# The first `trap -p` of a process asks the kernel for every signal's disposition (about a hundred
# system calls, 0.5 ms here): done while the worker waits, the check after its job costs ~20 us.
__rh_worker='trap - USR1
trap -p EXIT >/dev/null
__rh_go=
__rh_bye=eof
while IFS= read -r -u "$__rh_in" __rh_l; do
  case $__rh_l in
  "run "*) __rh_go=1; break ;;
  close) __rh_bye=close; break ;;
  "kill "*)
    __rh_g=${__rh_l#kill }
    kill -KILL -- "-$__rh_g" 2>/dev/null
    for (( __rh_n = 0; __rh_n < 200; __rh_n++ )); do
      kill -0 -- "-$__rh_g" 2>/dev/null || break
      __rh_live=
      for __rh_f in /proc/[0-9]*/stat; do
        IFS= read -r __rh_s <"$__rh_f" 2>/dev/null || continue
        __rh_s=(${__rh_s##*) })
        if [[ ${__rh_s[2]} == "$__rh_g" && ${__rh_s[0]} != Z ]]; then __rh_live=1; break; fi
      done
      [[ -n $__rh_live ]] || break
      [[ -n $__rh_nap ]] || exec {__rh_nap}<> <(:)
      read -r -t 0.005 -u "$__rh_nap"
    done
    printf "killed %s\n" "$__rh_g" >&9 ;;
  esac
done
if [[ -z $__rh_go ]]; then printf "%s\n" "$__rh_bye" >&8; exit 0; fi
__rh_id=${__rh_l#run }
printf "%s\n" "$BASHPID" >&8
printf "started %s %s\n" "$__rh_id" "$BASHPID" >&9
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
# the literal code (with `builtin`, as the script may have defined functions of those names):
# `trap -p EXIT` shows whether a trap of the script would still run.
trap '[[ -n $__rh_spare ]] || { ( eval "$__rh_worker"; eval "$__rh_prefix$__rh_t"; __rh_s=$?; { builtin trap -p EXIT >"/proc/$$/cwd/$BASHPID.trap" && [[ ! -s /proc/$$/cwd/$BASHPID.trap ]] && builtin printf "done %s %s\n" "$BASHPID" "$__rh_s" >"/proc/$$/fd/9" && builtin printf "%s\n" "$BASHPID" >"/proc/$$/fd/8"; } 2>/dev/null; builtin exit "$__rh_s" ) & __rh_spare=$! __rh_groups[$!]=1; }' USR1
printf 'ready %s\n' "$__rh_host" >&9
kill -USR1 "$__rh_host"
while :; do
  # A read -t that times out keeps what it read so far in the variable, but fails: so the timed
  # read takes a single byte, judged by the variable, and the rest of the line (writers send whole
  # lines at once) follows without a timeout.
  __rh_l=
  IFS= read -r -t "$__rh_wait" -n 1 -u 8 __rh_l
  if [[ -n $__rh_l ]]; then
    IFS= read -r -u 8 __rh_rest
    __rh_l+=$__rh_rest
    if [[ $__rh_l == eof || $__rh_l == close ]]; then break; fi
    if [[ $__rh_l == "$__rh_spare" ]]; then
      __rh_running[$__rh_l]=1
      __rh_spare=
      __rh_polls=0
      __rh_taken=${EPOCHREALTIME//[!0-9]/}
    elif [[ -n ${__rh_running[$__rh_l]} ]]; then
      # it reported its end itself
      unset "__rh_running[$__rh_l]"
    fi
  fi
  for __rh_p in "${!__rh_running[@]}"; do
    if kill -0 "$__rh_p" 2>/dev/null; then continue; fi
    wait "$__rh_p"
    printf 'done %s %s\n' "$__rh_p" "$?" >&9
    unset "__rh_running[$__rh_p]"
  done
  # The worker ended before we read that it was taken (a command can be that quick), or it was
  # killed while idle: report it either way (the runner ignores a group it does not know) and let
  # a new worker take its place.
  if [[ -n $__rh_spare ]] && ! kill -0 "$__rh_spare" 2>/dev/null; then
    wait "$__rh_spare"
    printf 'done %s %s
' "$__rh_spare" "$?" >&9
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
  # While no worker waits, sleep until the next one is due: a worker's line wakes the loop sooner,
  # and most commands report their own end (a poll every 0.5 ms cost about 0.3 ms of CPU each); one
  # that leaves an EXIT trap is seen ending when the loop wakes, at most 5 ms into it. Then poll
  # every 0.5 ms for the first 5 ms of a command, back off to 25 ms; idle, wake up once a second to
  # see that the worker lives.
  if [[ -z $__rh_spare && -n $__rh_idle ]]; then
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
# Every job's group goes, then whatever else is left in the host's own session (orphans that took
# a group of their own; never when the session is not the host's), then the folder, unless the
# runner, which removes it itself, closed us (no fork of rm on its way out). Exit status 0 tells
# the runner that all went.
trap - USR1
# one kill for all groups: a redirected command per group cost ~1-4 ms for a 40-call run here
__rh_gs=()
for __rh_p in "${!__rh_groups[@]}"; do __rh_gs+=("-$__rh_p"); done
if (( ${#__rh_gs[@]} > 0 )); then kill -KILL -- "${__rh_gs[@]}" 2>/dev/null; fi
if [[ $__rh_sid == "$__rh_host" ]]; then
  for (( __rh_n = 0; __rh_n < 50; __rh_n++ )); do
    __rh_live=
    for __rh_f in /proc/[0-9]*/stat; do
      IFS= read -r __rh_s <"$__rh_f" 2>/dev/null || continue
      __rh_p=${__rh_s%% *}
      __rh_s=(${__rh_s##*) })
      if [[ ${__rh_s[3]} == "$__rh_host" && $__rh_p != "$__rh_host" && ${__rh_s[0]} != Z ]]; then
        kill -KILL "$__rh_p" 2>/dev/null
        __rh_live=1
      fi
    done
    [[ -n $__rh_live ]] || break
    # the host's own pipe: what workers still say there no longer matters
    read -r -t 0.002 -u 8
  done
fi
if [[ $__rh_l != close ]]; then rm -rf -- "$__rh_dir" 2>/dev/null; fi
exit 0
