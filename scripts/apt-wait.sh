# Sourced by scripts/run.sh (POSIX sh). `apt_get_waiting <apt-get args>` runs apt-get and, when
# another apt/dpkg (unattended-upgrades, a second terminal, cloud-init) holds one of its locks, waits
# for it instead of failing, up to APT_LOCK_WAIT seconds (default 300) in total.
# Why a retry loop and not only `-o DPkg::Lock::Timeout`: apt honours that option for the dpkg
# frontend lock (install) but `apt-get update` fails at once on the lists lock
# (/var/lib/apt/lists/lock: "Could not get lock … It is held by process N").
apt_get_waiting() {
  apt_wait_limit=${APT_LOCK_WAIT:-300}
  # `date +%s` counts whole seconds: started at 12.99 s it reads 12, and 2.01 s later 15 — a wait cut
  # short by up to a second. Counting from the next whole second never gives up before the limit.
  apt_wait_start=$(($(date +%s) + 1))
  apt_wait_err=$(mktemp)
  apt_wait_told=0
  while :; do
    apt_wait_left=$((apt_wait_limit - ($(date +%s) - apt_wait_start)))
    [ "$apt_wait_left" -lt 0 ] && apt_wait_left=0
    apt_wait_rc=0
    apt-get -o DPkg::Lock::Timeout="$apt_wait_left" "$@" 2>"$apt_wait_err" || apt_wait_rc=$?
    if [ "$apt_wait_rc" = 0 ]; then
      cat "$apt_wait_err" >&2
      rm -f "$apt_wait_err"
      return 0
    fi
    if ! grep -q -e "Could not get lock" -e "Unable to acquire the dpkg frontend lock" -e "Unable to lock" "$apt_wait_err"; then
      cat "$apt_wait_err" >&2
      rm -f "$apt_wait_err"
      return "$apt_wait_rc"
    fi
    apt_wait_holder=$(sed -n 's/.*held by process \([0-9]*\).*/\1/p' "$apt_wait_err" | head -n 1)
    if [ "$apt_wait_left" -le 0 ]; then
      echo "[run] another apt/dpkg${apt_wait_holder:+ (process $apt_wait_holder)} still holds the package lock after ${apt_wait_limit}s; let it finish (or stop it) and run the command again. APT_LOCK_WAIT=<seconds> waits longer." >&2
      cat "$apt_wait_err" >&2
      rm -f "$apt_wait_err"
      return "$apt_wait_rc"
    fi
    if [ "$apt_wait_told" = 0 ]; then
      echo "[run] another apt/dpkg${apt_wait_holder:+ (process $apt_wait_holder)} holds the package lock; waiting for it (up to ${apt_wait_limit}s) …" >&2
      apt_wait_told=1
    fi
    sleep 2
  done
}
